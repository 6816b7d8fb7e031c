// "N events / M tokens not priced" beside a cost figure: what that cost leaves out, with a link to fix it.
import Link from "next/link";
import { formatCompact, formatNumber } from "@/lib/format";

export function UnpricedNotice({ unpriced, range }: { unpriced: { events: number; tokens: number }; range: string }) {
  if (unpriced.events === 0) return null;
  return (
    <p role="status" data-testid="unpriced-notice" className="rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning">
      {formatNumber(unpriced.events)} {unpriced.events === 1 ? "event" : "events"} / {formatCompact(unpriced.tokens)} tokens not priced: their cost is
      unknown and not included above.{" "}
      <Link className="font-medium underline" href={`/admin/model-prices?${range}#unpriced`}>
        See which models and add a price or alias
      </Link>
    </p>
  );
}
