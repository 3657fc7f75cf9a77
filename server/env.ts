import path from "node:path";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.

const projectRoot = process.cwd();

const postgresUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be a postgres URL like postgresql://user:password@host:5432/database");

const absolutePath = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) => path.resolve(/*turbopackIgnore: true*/ projectRoot, value));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),

  /** An external Postgres; absent → `npm start` runs the embedded Postgres under DATA_DIR and sets it. */
  DATABASE_URL: postgresUrl.optional(),
  /** Set by `npm start` when DATABASE_URL is its embedded server (the cluster's folder), for the health page. */
  EMBEDDED_DATABASE_DIR: z.string().optional(),
  /** Set by `npm start` to its own pid: the web server stops if that process dies (nothing is left serving without its database). */
  SUPERVISOR_PID: z.coerce.number().int().positive().optional(),
  /** Database connections per app process. */
  DATABASE_POOL_SIZE: positiveInt(10),
  DATA_DIR: absolutePath("data"),

  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)"),
  /** Public URL of the app, used by next-auth for callbacks. */
  APP_URL: z.url().optional(),
  /** E-mail of the account that becomes admin; otherwise the first account is admin. */
  ADMIN_EMAIL: z.email().optional(),

  /** OAuth sign-in, each switched on when both of its variables are set. */
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  GOOGLE_ID: z.string().optional(),
  GOOGLE_SECRET: z.string().optional(),

  /** Docker engine: DOCKER_HOST (tcp://…) wins over the unix socket. */
  DOCKER_HOST: z.string().optional(),
  DOCKER_SOCKET: z.string().default("/var/run/docker.sock"),
  /** Image runtimes are built on; unset → debian:bookworm-slim or a local equivalent. */
  BASE_IMAGE: z.string().optional(),
  DEFAULT_RUNTIME: z.string().default("python-datascience"),
  /**
   * CA bundle trusted by package managers inside image builds (npm over a TLS
   * proxy). Unset: NODE_EXTRA_CA_CERTS, else the host's Debian bundle if present.
   */
  BUILD_CA_CERTS_FILE: z.string().optional(),
  NODE_EXTRA_CA_CERTS: z.string().optional(),
  /** The agent's model when no admin setting overrides it (keys never enter a sandbox). */
  MODEL_PROVIDER: z.enum(["openai", "anthropic", "openai-compatible"]).optional(),
  MODEL_NAME: z.string().optional(),
  MODEL_BASE_URL: z.url().optional(),
  MODEL_API_KEY: z.string().optional(),
  /** Label scope of this deployment's sandboxes: a process adopts and reaps only its own scope's containers. */
  SANDBOX_SCOPE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "use lowercase letters, digits and '-'").default("platform"),

  /** Host folder holding every user's workspace ({root}/{user}/workspace). */
  WORKSPACE_ROOT: z.string().optional(),

  SANDBOX_MEMORY_MB: positiveInt(2048),
  SANDBOX_CPUS: z.coerce.number().positive().max(64).default(1),
  SANDBOX_PIDS: positiveInt(512),
  MAX_SESSIONS: positiveInt(100),
  COMMAND_TIMEOUT_MS: positiveInt(120_000),
  IDLE_PAUSE_MS: positiveInt(5 * 60_000),
  IDLE_STOP_MS: positiveInt(60 * 60_000),
  UPLOAD_MAX_MB: positiveInt(200),
  /** Default disk quota per workspace in MB (an admin can change it, and per user); 0: no quotas. Preallocated on the host. */
  WORKSPACE_QUOTA_MB: z.coerce.number().int().min(0).default(1024),
  /**
   * Where the sandbox supervisor's binary is built and kept (it is bind-mounted into every sandbox, so this
   * must be a host path); "off" runs commands through docker exec. Default: ~/.cache/tidepool/supervisor.
   */
  SANDBOX_SUPERVISOR_DIR: z.string().optional(),
  /** Free space kept on the workspaces' filesystem when granting quotas (for DATA_DIR, the database, logs). */
  WORKSPACE_DISK_RESERVE_MB: positiveInt(1024),
});

export type Env = z.infer<typeof schema> & { WORKSPACE_ROOT: string };

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (docker-compose passes VAR= through as "").
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const parsed = result.data;
  return {
    ...parsed,
    WORKSPACE_ROOT: path.resolve(/*turbopackIgnore: true*/ projectRoot, parsed.WORKSPACE_ROOT ?? path.join(parsed.DATA_DIR, "workspaces")),
  };
}

export const env: Env = parseEnv(process.env);
