import { env } from "~/server/env";
import { UsersPanel } from "../_components/users-panel";

export default function UsersPage() {
  return <UsersPanel defaults={{ memoryMb: env.SANDBOX_MEMORY_MB, cpus: env.SANDBOX_CPUS }} />;
}
