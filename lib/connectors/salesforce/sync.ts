// One scheduled Salesforce run (called by the connector framework's runClaimed under its lease): pull
// consumption (the custom object, then each Agentforce preset), then queue invoices the finalize hook missed and last month's usage summaries, and send
// every pending push.
import "server-only";
import type { Connector } from "@/lib/generated/prisma/client";
import type { RetryOptions } from "../http";
import { clientFor } from "./connection";
import type { QueryOptions } from "./data360";
import { pullPresets } from "./preset-pull";
import { pullConsumption, type PullTotals } from "./pull";
import { orgSettings } from "@/lib/org";
import { enqueueMissingInvoices, enqueueUsageSummaries, flushPushes, previousPeriod } from "./push";

export async function runSalesforce(connector: Connector, totals: PullTotals, progress: () => Promise<void>, options: { now?: Date; retry?: RetryOptions; data360?: QueryOptions } = {}): Promise<void> {
  const client = clientFor(connector, options.retry);
  await pullConsumption(connector, totals, progress, { ...options, client });
  await pullPresets(connector, totals, progress, { now: options.now, client, query: options.data360 });
  const now = options.now ?? new Date();
  await enqueueMissingInvoices(connector, now);
  await enqueueUsageSummaries(connector, previousPeriod(now, (await orgSettings()).timeZone));
  await flushPushes(connector, { client });
}
