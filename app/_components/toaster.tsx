"use client";

import * as ToastPrimitive from "@radix-ui/react-toast";
import { CheckCircle2, X, XCircle } from "lucide-react";
import { useSyncExternalStore } from "react";
import { cn } from "../_lib/cn";

type ToastItem = { id: number; kind: "error" | "success"; title: string; description?: string };

// A tiny store so any component (or a mutation callback) can raise a toast.
let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

function push(kind: ToastItem["kind"], title: string, description?: string) {
  items = [...items.slice(-4), { id: nextId++, kind, title, description }];
  emit();
}

export const toast = {
  error: (title: string, description?: string) => push("error", title, description),
  success: (title: string, description?: string) => push("success", title, description),
};

function dismiss(id: number) {
  items = items.filter((item) => item.id !== id);
  emit();
}

export function Toaster() {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => items,
    () => items,
  );
  return (
    <ToastPrimitive.Provider duration={6000}>
      {current.map((item) => (
        <ToastPrimitive.Root
          key={item.id}
          onOpenChange={(open) => !open && dismiss(item.id)}
          data-testid={`toast-${item.kind}`}
          className={cn(
            "flex items-start gap-3 rounded-lg border bg-white p-4 shadow-lg dark:bg-slate-900",
            item.kind === "error" ? "border-rose-300 dark:border-rose-800" : "border-emerald-300 dark:border-emerald-800",
          )}
        >
          {item.kind === "error" ? <XCircle className="size-5 shrink-0 text-rose-600" /> : <CheckCircle2 className="size-5 shrink-0 text-emerald-600" />}
          <div className="flex-1">
            <ToastPrimitive.Title className="text-sm font-medium">{item.title}</ToastPrimitive.Title>
            {item.description ? <ToastPrimitive.Description className="mt-1 text-sm text-slate-600 dark:text-slate-400">{item.description}</ToastPrimitive.Description> : null}
          </div>
          <ToastPrimitive.Close aria-label="Dismiss" className="text-slate-500 hover:text-slate-900 dark:hover:text-slate-100">
            <X className="size-4" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed bottom-4 right-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2 outline-none" />
    </ToastPrimitive.Provider>
  );
}
