import { CheckCircle2, XCircle } from "lucide-react";
import type { Health, HealthCheck } from "~/server/services/health";

const CHECKS = [
  { key: "docker", label: "Docker engine", testId: "health-docker" },
  { key: "database", label: "Database", testId: "health-database" },
  { key: "baseImage", label: "Sandbox base image", testId: "health-base-image" },
] as const;

/**
 * The platform's health as one small line; its details (each check, and what to
 * do when one fails) open beneath it. Open by itself when something needs attention.
 */
export function HealthStatus({ health }: { health: Health }) {
  return (
    <details className="group text-xs text-slate-500 dark:text-slate-400" open={!health.ok} data-testid="health">
      <summary className="inline-flex cursor-pointer list-none items-center gap-2 rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 [&::-webkit-details-marker]:hidden">
        <span
          aria-hidden
          className={health.ok ? "size-2 rounded-full bg-emerald-500" : "size-2 rounded-full bg-rose-500"}
        />
        <span data-testid="health-summary" data-ok={health.ok}>
          {health.ok ? "Everything is healthy" : "Something needs attention"}
        </span>
        <span className="underline-offset-2 group-open:hidden hover:underline">details</span>
      </summary>
      <ul className="mt-3 flex flex-col gap-2">
        {CHECKS.map(({ key, label, testId }) => (
          <HealthRow key={key} testId={testId} label={label} check={health.checks[key]} />
        ))}
      </ul>
      <p className="mt-2">
        Checked {new Date(health.checkedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC ·{" "}
        <a className="underline" href="/api/health">
          JSON
        </a>
      </p>
    </details>
  );
}

function HealthRow({ testId, label, check }: { testId: string; label: string; check: HealthCheck }) {
  const Icon = check.ok ? CheckCircle2 : XCircle;
  return (
    <li className="flex items-start gap-2" data-testid={testId} data-ok={check.ok}>
      <Icon
        aria-hidden
        className={check.ok ? "mt-px size-4 shrink-0 text-emerald-600" : "mt-px size-4 shrink-0 text-rose-600"}
      />
      <div className="min-w-0">
        <p>
          <span className="font-medium text-slate-700 dark:text-slate-300">{label}:</span>{" "}
          {check.ok ? "healthy" : "not ready"} · <span className="break-words">{check.summary}</span>
        </p>
        {check.hint && !check.ok ? <p className="text-rose-700 dark:text-rose-400">{check.hint}</p> : null}
      </div>
    </li>
  );
}
