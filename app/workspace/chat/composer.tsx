"use client";

import { ArrowUp, Square } from "lucide-react";
import { useEffect, useRef, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "../../_components/ui/button";
import { cn } from "../../_lib/cn";

type ComposerProps = {
  value: string;
  onChange: (value: string) => void;
  onSend: (text: string) => void;
  onStop: () => void;
  /** A turn is running: sending waits, Stop shows. */
  running: boolean;
  /** Sending is not possible right now (e.g. the chat is being created). */
  busy?: boolean;
  autoFocus?: boolean;
};

const MAX_HEIGHT_PX = 220;

/** Where the user writes: Enter sends, Shift+Enter starts a new line; Stop while the agent works. */
export function Composer({ value, onChange, onSend, onStop, running, busy, autoFocus }: ComposerProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const blocked = running || !!busy;
  const canSend = !blocked && value.trim().length > 0;

  // Grow with the text, up to a limit, then scroll.
  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [value]);

  useEffect(() => {
    if (autoFocus) textarea.current?.focus();
  }, [autoFocus]);

  // The textarea is disabled while a turn runs (and so loses focus): give it back when the turn ends.
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) textarea.current?.focus();
    wasRunning.current = running;
  }, [running]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(value.trim());
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form onSubmit={submit} className="shrink-0 px-4 pb-4 sm:px-6" aria-label="Message the agent">
      <div
        className={cn(
          "mx-auto flex max-w-3xl items-end gap-2 rounded-2xl border border-slate-300 bg-white p-2 shadow-sm transition focus-within:border-sky-500 focus-within:ring-2 focus-within:ring-sky-500/20 dark:border-slate-700 dark:bg-slate-900",
        )}
      >
        <label htmlFor="chat-input" className="sr-only">
          Message
        </label>
        <textarea
          id="chat-input"
          ref={textarea}
          rows={1}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          disabled={running}
          placeholder={running ? "The agent is working… press Stop to interrupt it" : "Ask about your data… (Enter to send, Shift+Enter for a new line)"}
          className="max-h-[220px] min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-[15px] leading-6 placeholder:text-slate-400 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60"
          data-testid="chat-input"
        />
        {running ? (
          <Button type="button" variant="secondary" size="icon" className="size-9 shrink-0 rounded-xl" onClick={onStop} aria-label="Stop the agent" title="Stop (also stops the running command)" data-testid="chat-stop">
            <Square className="fill-current" aria-hidden />
          </Button>
        ) : (
          <Button type="submit" size="icon" className="size-9 shrink-0 rounded-xl" disabled={!canSend} aria-label="Send message" data-testid="chat-send">
            <ArrowUp aria-hidden />
          </Button>
        )}
      </div>
      <p className="mx-auto mt-1.5 max-w-3xl px-2 text-center text-[11px] text-slate-500 dark:text-slate-400">
        The agent runs code in your sandbox. Files in /workspace persist; variables reset when the sandbox stops.
      </p>
    </form>
  );
}
