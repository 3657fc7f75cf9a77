/** Three dots while the agent thinks between steps. */
export function TypingIndicator({ label }: { label: string }) {
  return (
    <div className="flex items-center gap-2 py-1 text-sm text-slate-500 dark:text-slate-400" role="status" data-testid="chat-thinking">
      <span className="flex gap-1" aria-hidden>
        {[0, 150, 300].map((delay) => (
          <span key={delay} className="size-1.5 animate-bounce rounded-full bg-slate-400 dark:bg-slate-500" style={{ animationDelay: `${delay}ms` }} />
        ))}
      </span>
      {label}…
    </div>
  );
}
