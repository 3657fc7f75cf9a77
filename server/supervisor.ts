import { env } from "./env";

/**
 * `npm start` runs the web server and the embedded database. If it is killed
 * on its own (not the whole process group), the web server stops too, as on
 * Ctrl+C, rather than serve on without the process that owns its database.
 */
export function exitWithSupervisor(): void {
  const supervisor = env.SUPERVISOR_PID;
  if (!supervisor) return;
  const timer = setInterval(() => {
    if (process.ppid === supervisor) return;
    clearInterval(timer);
    console.warn(`the process that started this server (${supervisor}) is gone; stopping`);
    process.kill(process.pid, "SIGTERM");
  }, 1000);
  timer.unref();
}
