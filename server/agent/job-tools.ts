import { tool } from "ai";
import { z } from "zod";
import type { DockerSandbox } from "~/server/sandbox";
import { formatJobList, formatJobOutput, formatJobStarted, formatJobStopped, type JobToolOutput } from "./job-output";
import type { ToolFailure } from "./tool-output";

// Background jobs for the agent: long work (training, long loops, many files)
// started in the sandbox's supervisor, which keeps it running after the turn,
// the page and an app restart; the agent checks on it and reads its output
// from an offset later.

export type JobSandbox = Pick<DockerSandbox, "resolvePath" | "startJob" | "jobs" | "jobOutput" | "stopJob">;

type Guard = <T>(toolName: string, body: () => Promise<T>) => Promise<T | ToolFailure>;
type ModelView = (output: { ok: boolean; text: string }) => { type: "text" | "error-text"; value: string };

/** Output shown when read_job_output is given no offset: the tail. */
const TAIL_BYTES = 8 * 1024;
/** Output returned per read_job_output call at most. */
const READ_BYTES = 32 * 1024;
const STOP_WAIT_MS = 5_000;
/** Headless plotting and output as it is printed, as in the kernel. */
const PYTHON_ENV = { PYTHONUNBUFFERED: "1", MPLBACKEND: "Agg", MPLCONFIGDIR: "/tmp/matplotlib" };

export function createJobTools(sandbox: JobSandbox, guarded: Guard, modelView: ModelView) {
  const jobId = z.string().min(1).describe("The job's id, as start_job or list_jobs gave it.");
  const fail = (text: string): ToolFailure => ({ ok: false, text, code: "invalid_input" });

  return {
    start_job: tool({
      description: [
        "Start a long-running shell command or Python script in the background and return at once with its job id.",
        "Use it for work that may take longer than a few minutes (training a model, a long loop, processing many files); use execute or run_python for anything quick.",
        "The job keeps running after this answer, when the user leaves and across server restarts, until it ends, you stop it, or the sandbox stops.",
        "It does not share run_python's variables: a script loads its own data and saves results to files.",
        "Give exactly one of command or python_script.",
      ].join(" "),
      inputSchema: z.object({
        command: z.string().min(1).optional().describe("A shell command, run with /bin/sh in /workspace."),
        python_script: z
          .string()
          .min(1)
          .optional()
          .describe("Path of a .py file under /workspace to run with python3 (write it first with write_file)."),
      }),
      execute: ({ command, python_script }): Promise<JobToolOutput | ToolFailure> =>
        guarded("start_job", async () => {
          if ((command === undefined) === (python_script === undefined))
            return fail("Error: give exactly one of command or python_script.");
          const job = python_script
            ? await sandbox.startJob(["python3", "-u", sandbox.resolvePath(python_script)], { env: PYTHON_ENV })
            : await sandbox.startJob(command!);
          return formatJobStarted(job);
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),

    list_jobs: tool({
      description:
        "List this sandbox's background jobs: running or exited (with the exit code), for how long, and how much output each wrote.",
      inputSchema: z.object({}),
      execute: (): Promise<JobToolOutput | ToolFailure> =>
        guarded("list_jobs", async () => formatJobList(await sandbox.jobs())),
      toModelOutput: ({ output }) => modelView(output),
    }),

    read_job_output: tool({
      description: `Read a background job's output from a byte offset (the last ${TAIL_BYTES / 1024} KB when no offset is given). The answer says the offset to read from next; only the last 1 MB of each stream is kept.`,
      inputSchema: z.object({
        job_id: jobId,
        offset: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe("Byte offset to read from; default: the last part of the output."),
        stream: z.enum(["stdout", "stderr"]).optional().describe("Default stdout."),
      }),
      execute: ({ job_id, offset, stream = "stdout" }): Promise<JobToolOutput | ToolFailure> =>
        guarded("read_job_output", async () => {
          let from = offset;
          if (from === undefined) {
            const size = (await sandbox.jobOutput(job_id, { stream, offset: 0, maxBytes: 1 })).size;
            from = Math.max(0, size - TAIL_BYTES);
          }
          return formatJobOutput(
            job_id,
            stream,
            from,
            await sandbox.jobOutput(job_id, { stream, offset: from, maxBytes: READ_BYTES }),
          );
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),

    stop_job: tool({
      description: "Stop a background job and everything it started.",
      inputSchema: z.object({ job_id: jobId }),
      execute: ({ job_id }): Promise<JobToolOutput | ToolFailure> =>
        guarded("stop_job", async () => {
          await sandbox.stopJob(job_id);
          // The kill is asynchronous: wait (bounded) to report how it ended.
          const deadline = Date.now() + STOP_WAIT_MS;
          let job = (await sandbox.jobs()).find((candidate) => candidate.id === job_id);
          while (job?.running && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            job = (await sandbox.jobs()).find((candidate) => candidate.id === job_id);
          }
          return formatJobStopped(job, job_id);
        }),
      toModelOutput: ({ output }) => modelView(output),
    }),
  };
}
