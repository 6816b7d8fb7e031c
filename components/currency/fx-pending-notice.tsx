// "N events in CHF await an FX rate for 2026-11-28" above the cost figures: what they leave out until a rate arrives
// (server component: read with the page, in the user's departments).
import Link from "next/link";
import type { UserCaller } from "@/lib/auth/caller";
import { fxPending } from "@/lib/currency/pending";
import { formatNumber } from "@/lib/format";

const SHOWN = 5;

export async function FxPendingNotice({ user }: { user: UserCaller }) {
  const pending = await fxPending(user);
  if (pending.events === 0) return null;
  const more = pending.items.length - SHOWN;
  return (
    <div role="status" data-testid="fx-pending-notice" className="rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning">
      <ul>
        {pending.items.slice(0, SHOWN).map((item) => (
          <li key={`${item.currency} ${item.day}`}>
            {formatNumber(item.events)} {item.events === 1 ? "event" : "events"} in {item.currency} {item.events === 1 ? "awaits" : "await"} an FX rate for {item.day}
          </li>
        ))}
        {more > 0 && <li>and {formatNumber(more)} more currencies and days</li>}
      </ul>
      <p>
        Their cost counts as 0 {pending.currency} until a rate is entered; they are converted then.{" "}
        {user.role === "admin" && (
          <Link className="font-medium underline" href="/admin/fx-rates">
            Enter FX rates
          </Link>
        )}
      </p>
    </div>
  );
}
