// Starting a recompute run, under four-eyes approval (lib/approvals): a run whose previewed cost change reaches the
// organization's threshold is stored as an approval request; a different finance/admin user's approval starts it.
import "server-only";
import { fourEyesSettings, needsApproval, requestApproval } from "@/lib/approvals/approvals";
import type { ApprovalDto } from "@/lib/approvals/schemas";
import type { UserCaller } from "@/lib/auth/caller";
import { dec } from "@/lib/billing/money";
import { enqueueJob } from "@/lib/jobs";
import { orgSettings } from "@/lib/org";
import { dayIn } from "@/lib/periods";
import { createRecomputeRun, previewRun, type RunInput } from "./runs";

export async function startOrRequestApproval(caller: UserCaller, input: RunInput): Promise<{ id: number } | { approval: ApprovalDto }> {
  const org = await orgSettings();
  if ((await fourEyesSettings()).enabled) {
    const change = dec((await previewRun(input)).delta.total).abs();
    if (await needsApproval(change, org.currency, dayIn(org.timeZone))) {
      const payload = { kind: input.kind, from: input.from.toISOString(), to: input.to.toISOString(), predicate: input.predicate, reason: input.reason, ...(input.batchSize ? { batchSize: input.batchSize } : {}) };
      return { approval: await requestApproval(caller, { kind: "recompute", subjectId: null, amount: change, currency: org.currency, payload }) };
    }
  }
  const run = await createRecomputeRun(caller, input);
  await enqueueJob("recompute.run", { runId: run.id });
  return run;
}
