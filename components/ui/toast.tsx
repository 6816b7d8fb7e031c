"use client";
import * as ToastPrimitive from "@radix-ui/react-toast";
import { useSyncExternalStore } from "react";
import { cn } from "./cn";

type ToastItem = { id: number; tone: "success" | "error"; title: string; description?: string };

// A module-level queue, so code outside React (a mutation's callbacks, the QueryClient's MutationCache) can toast.
let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
const add = (tone: ToastItem["tone"], title: string, description?: string) => {
  items = [...items, { id: nextId++, tone, title, description }];
  emit();
};
const dismiss = (id: number) => {
  items = items.filter((t) => t.id !== id);
  emit();
};

/** Feedback after an action: `toast.success("Key created")`, `toast.error("Could not save", error.message)`. */
export const toast = {
  success: (title: string, description?: string) => add("success", title, description),
  error: (title: string, description?: string) => add("error", title, description),
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const EMPTY: ToastItem[] = [];

/**
 * Renders the queue (mounted once in app/providers.tsx). Radix announces each toast in a live region
 * (role=status): successes politely, errors assertively; errors stay longer.
 */
export function Toaster() {
  const list = useSyncExternalStore(subscribe, () => items, () => EMPTY);
  return (
    <ToastPrimitive.Provider swipeDirection="right" label="Notification">
      {list.map((t) => (
        <ToastPrimitive.Root
          key={t.id}
          type={t.tone === "error" ? "foreground" : "background"}
          duration={t.tone === "error" ? 10_000 : 5_000}
          onOpenChange={(open) => !open && dismiss(t.id)}
          data-testid={`toast-${t.tone}`}
          className={cn(
            "relative flex items-start gap-3 rounded-card border bg-surface p-3 pr-8 text-sm text-foreground shadow-lg",
            t.tone === "error" ? "border-danger-border" : "border-success-border",
          )}
        >
          <span aria-hidden className={cn("mt-0.5 font-bold", t.tone === "error" ? "text-danger" : "text-success")}>
            {t.tone === "error" ? "!" : "✓"}
          </span>
          <div className="min-w-0">
            <ToastPrimitive.Title className="font-medium">{t.title}</ToastPrimitive.Title>
            {t.description && <ToastPrimitive.Description className="mt-0.5 break-words text-muted-foreground">{t.description}</ToastPrimitive.Description>}
          </div>
          <ToastPrimitive.Close aria-label="Dismiss" className="absolute top-2 right-2 rounded-control px-1.5 text-muted-foreground hover:bg-surface-muted">
            ×
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed right-0 bottom-0 z-[60] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
    </ToastPrimitive.Provider>
  );
}
