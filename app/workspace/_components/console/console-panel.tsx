"use client";

import { CornerDownLeft, Eraser, Layers, Square } from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "../../../_components/ui/button";
import { Tooltip } from "../../../_components/ui/tooltip";
import { useSandbox } from "../../_lib/sandbox-context";
import { useCommandHistory } from "../../_lib/use-command-history";
import { useConsole } from "../../_lib/use-console";
import { useJobActions } from "../../_lib/use-jobs";
import { useWorkspaceNav } from "../../_lib/workspace-nav";
import { ConsoleEmpty } from "./console-empty";
import { ConsoleEntryView } from "./console-entry";

const STICK_THRESHOLD_PX = 48;

/** A shell prompt for the sandbox: streamed output, exit codes, history on Up/Down, Stop for long runs. */
export function ConsolePanel({ userId }: { userId: string }) {
  const { entries, running, run, stop, clear, notice } = useConsole();
  const history = useCommandHistory(userId);
  const sandbox = useSandbox();
  const nav = useWorkspaceNav();
  const { start: startJob } = useJobActions();
  const [command, setCommand] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const output = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // Say so in the log when programs and variables were reset.
  const previousState = useRef(sandbox.state);
  useEffect(() => {
    const before = previousState.current;
    previousState.current = sandbox.state;
    if ((before === "running" || before === "paused") && (sandbox.state === "asleep" || sandbox.state === "none"))
      notice("Sandbox stopped · programs and variables were reset · files are intact");
  }, [sandbox.state, notice]);
  const restarts = useRef(sandbox.restarts);
  useEffect(() => {
    if (sandbox.restarts === restarts.current) return;
    restarts.current = sandbox.restarts;
    notice("Sandbox restarted · programs and variables were reset · files are intact");
  }, [sandbox.restarts, notice]);

  useLayoutEffect(() => {
    const element = output.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [entries]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = command.trim();
    if (!text || running) return;
    history.push(text);
    run(text);
    setCommand("");
    stick.current = true;
  }

  /** Starts the command as a background job and shows it in Jobs, where its output grows. */
  function runInBackground() {
    const text = command.trim();
    if (!text || startJob.isPending) return;
    history.push(text);
    startJob.mutate(
      { command: text },
      {
        onSuccess: () => {
          setCommand("");
          nav.showTab("jobs");
        },
      },
    );
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runInBackground();
    } else if (event.key === "ArrowUp") {
      const previous = history.older(command);
      if (previous !== null) {
        event.preventDefault();
        setCommand(previous);
      }
    } else if (event.key === "ArrowDown") {
      const next = history.newer();
      if (next !== null) {
        event.preventDefault();
        setCommand(next);
      }
    } else if (event.key === "c" && event.ctrlKey && running && !window.getSelection()?.toString()) {
      event.preventDefault();
      stop();
    } else if (event.key === "l" && event.ctrlKey) {
      event.preventDefault();
      clear();
    } else history.reset();
  }

  const last = entries.findLast((entry) => entry.kind === "command");
  const announcement =
    last && last.kind === "command" && last.state !== "running"
      ? `${last.command}: ${last.state === "done" ? `exit code ${last.exitCode}` : last.state}`
      : "";

  return (
    <section
      aria-label="Console"
      className="flex h-full min-h-0 flex-col bg-white dark:bg-slate-950"
      data-testid="console-panel"
    >
      <div className="flex h-10 shrink-0 items-center gap-2 border-b border-slate-200 px-4 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
        <span className="flex-1 truncate">
          <span className="font-mono">/bin/sh</span> in <span className="font-mono">/workspace</span> as the sandbox
          user
        </span>
        <Tooltip content="Clear (Ctrl+L)">
          <Button
            variant="ghost"
            size="icon"
            aria-label="Clear console"
            onClick={clear}
            disabled={entries.length === 0}
            data-testid="console-clear"
          >
            <Eraser aria-hidden />
          </Button>
        </Tooltip>
      </div>
      <div
        ref={output}
        className="min-h-0 flex-1 overflow-y-auto px-4 py-3 font-mono text-[13px] leading-5"
        data-testid="console-output"
        role="log"
        aria-live="off"
        aria-label="Console output"
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_THRESHOLD_PX;
        }}
      >
        {entries.length === 0 ? (
          <ConsoleEmpty
            onPick={(example) => {
              setCommand(example);
              input.current?.focus();
            }}
          />
        ) : (
          entries.map((entry) => <ConsoleEntryView key={entry.id} entry={entry} />)
        )}
      </div>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      <form
        onSubmit={submit}
        className="flex shrink-0 items-center gap-2 border-t border-slate-200 bg-slate-50 px-3 py-2 dark:border-slate-800 dark:bg-slate-900"
      >
        <label
          htmlFor="console-input"
          className="select-none pl-1 font-mono text-sm font-semibold text-sky-600 dark:text-sky-400"
        >
          <span aria-hidden>$</span>
          <span className="sr-only">Command</span>
        </label>
        <input
          ref={input}
          id="console-input"
          value={command}
          onChange={(event) => setCommand(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={running ? "Running… Ctrl+C or Stop to end it" : "Type a command, e.g. wc -l data.csv"}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          aria-describedby="console-hint"
          className="h-9 min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 font-mono text-sm shadow-sm placeholder:font-sans placeholder:text-slate-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-slate-700 dark:bg-slate-950"
          data-testid="console-input"
        />
        <span id="console-hint" className="sr-only">
          Enter runs the command. Ctrl+Enter runs it in the background. Up and Down walk through earlier commands.
        </span>
        <Tooltip content="Run in background (Ctrl+Enter): keeps running when you leave">
          <Button
            variant="secondary"
            size="icon"
            className="size-9"
            aria-label="Run in background"
            onClick={runInBackground}
            disabled={!command.trim() || startJob.isPending}
            data-testid="console-run-background"
          >
            <Layers aria-hidden />
          </Button>
        </Tooltip>
        {running ? (
          <Button variant="danger" onClick={stop} data-testid="console-stop">
            <Square aria-hidden className="fill-current" />
            Stop
          </Button>
        ) : (
          <Button type="submit" disabled={!command.trim()} data-testid="console-run">
            Run
            <CornerDownLeft aria-hidden />
          </Button>
        )}
      </form>
    </section>
  );
}
