import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

// What the admin pages receive, as serialized over the wire (dates as strings).
type Outputs = inferRouterOutputs<AppRouter>;

export type AdminRuntime = Outputs["admin"]["runtimes"]["list"][number];
export type AdminSession = Outputs["admin"]["sessions"]["list"][number];
export type AdminActivity = Outputs["admin"]["sessions"]["activity"][number];
export type AdminUser = Outputs["admin"]["users"]["list"][number];
export type ModelSettings = Outputs["admin"]["settings"]["model"];
export type FileLimits = Outputs["admin"]["settings"]["fileLimits"];
