import { PythonKernel, type KernelHost, type PythonKernelOptions } from "./python-kernel";

// One kernel per sandbox object, for callers that do not keep their own: the
// chat route gets the session's sandbox and asks for its kernel. Keyed weakly
// by the sandbox, so a kernel is reachable only through its own sandbox and
// goes away with it.

const kernels = new WeakMap<KernelHost, PythonKernel>();

export function kernelFor(sandbox: KernelHost, options?: PythonKernelOptions): PythonKernel {
  let kernel = kernels.get(sandbox);
  if (!kernel) {
    kernel = new PythonKernel(sandbox, options);
    kernels.set(sandbox, kernel);
  }
  return kernel;
}
