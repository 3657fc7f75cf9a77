// The persistent Python kernel: one long-lived process per sandbox.
export { PythonKernel, type KernelHost, type PythonKernelOptions } from "./python-kernel";
export { kernelFor } from "./kernel-registry";
export { KernelStartError } from "./errors";
export type { KernelProcessInfo } from "./kernel-process";
export type { FigureAxes, FigureSeries, FigureSummary, KernelDisplay, KernelDisplayImage, KernelError, KernelFigure, KernelOutput, KernelRunOptions, KernelRunResult, KernelState, KernelTable, TableCell } from "./types";
