"use client";
// "Waiting for your first event… received": polls the newest visible event and compares it with the one at page load.
import Link from "next/link";
import { useState } from "react";
import { formatMoney } from "@/lib/format";
import type { LatestEventResponse } from "@/lib/onboarding/schemas";
import { useLatestEvent } from "./queries";

export function FirstEventIndicator({ initial }: { initial: LatestEventResponse }) {
  // The baseline is the event newest at first render; a later server refresh (e.g. after a CSV import) must not move it.
  const [initialId] = useState(initial.latest?.id ?? null);
  const query = useLatestEvent(initial, (id) => id !== initialId);
  const latest = query.data.latest;
  const received = latest !== null && latest.id !== initialId;
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="first-event"
      data-state={received ? "received" : "waiting"}
      className={`rounded-card border p-4 text-sm ${received ? "border-success-border bg-success-soft" : "border-border bg-surface"}`}
    >
      {received ? (
        <p>
          <span className="font-medium text-success">Event received.</span> {latest.type} from <code>{latest.agent.key}</code>, cost{" "}
          {formatMoney(latest.cost, latest.currency)}.{" "}
          <Link href="/" className="text-accent-foreground hover:underline">
            See it on Overview →
          </Link>
        </p>
      ) : (
        <p className="flex items-center gap-2">
          <span aria-hidden className="inline-block size-2 animate-pulse rounded-full bg-warning-border" />
          {initial.latest
            ? `Waiting for a new event… (the last one arrived ${new Date(initial.latest.receivedAt).toISOString().slice(0, 16).replace("T", " ")} UTC)`
            : "Waiting for your first event…"}
          {query.isError && <span className="text-danger"> (could not check: {query.error.message})</span>}
        </p>
      )}
    </div>
  );
}
