import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type SandboxStatus = Outputs["sandbox"]["status"];
export type SandboxState = SandboxStatus["state"];
export type FileEntry = Outputs["files"]["list"]["entries"][number];
export type FilePreview = Outputs["files"]["preview"];
export type ExecuteInput = Inputs["sandbox"]["execute"];
export type JobsView = Outputs["jobs"]["list"];
export type Job = JobsView["jobs"][number];
