import { CheckCircle2, XCircle } from "lucide-react";
import { getHealth, type HealthCheck } from "~/server/services/health";

export const dynamic = "force-dynamic";

const CHECKS = [
  { key: "docker", label: "Docker engine", testId: "health-docker" },
  { key: "database", label: "Database", testId: "health-database" },
  { key: "baseImage", label: "Sandbox base image", testId: "health-base-image" },
] as const;

export default async function HomePage() {
  const health = await getHealth();
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-6 py-16">
      <header className="flex flex-col gap-2">
        <h1 className="text-3xl font-semibold tracking-tight">Tidepool</h1>
        <p className="text-slate-600 dark:text-slate-400">
          A data-analysis agent with your own persistent sandbox. Sign-in and the workspace arrive soon; this page
          tells you whether the platform underneath is ready.
        </p>
      </header>
      <section
        aria-labelledby="health-title"
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <h2 id="health-title" className="text-lg font-medium" data-testid="health-summary" data-ok={health.ok}>
          {health.ok ? "Everything is healthy" : "Something needs attention"}
        </h2>
        <ul className="mt-4 flex flex-col gap-3">
          {CHECKS.map(({ key, label, testId }) => (
            <HealthRow key={key} testId={testId} label={label} check={health.checks[key]} />
          ))}
        </ul>
        <p className="mt-4 text-xs text-slate-500">
          Checked {new Date(health.checkedAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC ·{" "}
          <a className="underline" href="/api/health">
            JSON
          </a>
        </p>
      </section>
    </main>
  );
}

function HealthRow({ testId, label, check }: { testId: string; label: string; check: HealthCheck }) {
  const Icon = check.ok ? CheckCircle2 : XCircle;
  return (
    <li className="flex items-start gap-3" data-testid={testId} data-ok={check.ok}>
      <Icon aria-hidden className={check.ok ? "mt-0.5 size-5 text-emerald-600" : "mt-0.5 size-5 text-rose-600"} />
      <div>
        <p className="font-medium">
          {label}: <span className="font-normal">{check.ok ? "healthy" : "not ready"}</span>
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">{check.summary}</p>
        {check.hint && !check.ok ? <p className="text-sm text-rose-700 dark:text-rose-400">{check.hint}</p> : null}
      </div>
    </li>
  );
}
