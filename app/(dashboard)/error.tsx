"use client";
// Shown when a page fails to render (e.g. the database is down): a clear message and a retry, never a stack trace.
export default function DashboardError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-300 bg-rose-50 p-6">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-slate-700">
        AgentLedger could not reach its database or hit an unexpected error. Nothing was changed. Try again in a moment.
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
        Try again
      </button>
    </div>
  );
}
