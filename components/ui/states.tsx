import { ApiClientError } from "@/components/api-client";
import { EmptyState } from "./empty-state";

export function Loading({ what }: { what: string }) {
  return <div role="status" className="animate-pulse rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-500">Loading {what}…</div>;
}

export function ErrorState({ error }: { error: Error }) {
  // The API's 400s carry the reason per parameter (e.g. a range over the limit): show it, not only "Invalid ...".
  const details = error instanceof ApiClientError ? (error.details ?? []) : [];
  return (
    <div role="alert" className="rounded-lg border border-rose-300 bg-rose-50 p-6 text-sm text-rose-800">
      Could not load: {error.message}
      {details.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {details.map((d) => (
            <li key={d.path + d.message}>
              <code>{d.path}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A section with nothing to show in the chosen period or filters (the shared EmptyState, without actions). */
export function Empty({ message }: { message: string }) {
  return <EmptyState title={message} />;
}
