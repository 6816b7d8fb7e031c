// One scheduled Salesforce run (called by the connector framework's runClaimed under its lease): pull
// consumption, then queue invoices the finalize hook missed and last month's usage summaries, and send
// every pending push.
import "server-only";
import type { Connector } from "@/lib/generated/prisma/client";
import type { RetryOptions } from "../http";
import { clientFor } from "./connection";
import { pullConsumption, type PullTotals } from "./pull";
import { orgSettings } from "@/lib/org";
import { enqueueMissingInvoices, enqueueUsageSummaries, flushPushes, previousPeriod } from "./push";

export async function runSalesforce(connector: Connector, totals: PullTotals, progress: () => Promise<void>, options: { now?: Date; retry?: RetryOptions } = {}): Promise<void> {
  const client = clientFor(connector, options.retry);
  await pullConsumption(connector, totals, progress, { ...options, client });
  const now = options.now ?? new Date();
  await enqueueMissingInvoices(connector, now);
  await enqueueUsageSummaries(connector, previousPeriod(now, (await orgSettings()).timeZone));
  await flushPushes(connector, { client });
}
