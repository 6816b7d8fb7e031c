import { ApiClientError } from "@/components/api-client";
import { EmptyState } from "./empty-state";

export function Loading({ what }: { what: string }) {
  return <div role="status" className="animate-pulse rounded-card border border-border bg-surface p-6 text-sm text-muted-foreground">Loading {what}…</div>;
}

export function ErrorState({ error }: { error: Error }) {
  // The API's 400s carry the reason per parameter (e.g. a range over the limit): show it, not only "Invalid ...".
  const details = error instanceof ApiClientError ? (error.details ?? []) : [];
  return (
    <div role="alert" className="rounded-card border border-danger-border bg-danger-soft p-6 text-sm text-danger">
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
