"use client";
import { Button } from "@/components/ui/button";
// Shown when a page fails to render (e.g. the database is down): a clear message and a retry, never a stack trace.
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-card border border-danger-border bg-danger-soft p-6">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-foreground">
        AgentLedger could not reach its database or hit an unexpected error. Nothing was changed. Try again in a moment.
      </p>
      <Button size="sm" className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
