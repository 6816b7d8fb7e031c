// ROI scenarios: a user's named what-if baselines. Private to the owner; a share token gives anyone signed in a
// read-only view. The official baselines (task_types) change only through lib/analytics/baselines.ts.
import "server-only";
import { randomBytes } from "node:crypto";
import Decimal from "decimal.js";
import type { z } from "zod";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller, UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ScenarioBaseline, ScenarioView, scenarioCreate, scenarioUpdate } from "./scenario-schemas";

const include = { owner: { select: { name: true, email: true } } } satisfies Prisma.RoiScenarioInclude;
type Row = Prisma.RoiScenarioGetPayload<{ include: typeof include }>;

export const sharePath = (token: string) => `/roi/shared/${token}`;

function view(s: Row, caller: Caller): ScenarioView {
  return {
    id: s.id,
    name: s.name,
    owner: s.owner,
    mine: caller.kind === "user" && caller.id === s.ownerId,
    baselines: s.baselines as ScenarioView["baselines"],
    sharePath: s.shareToken ? sharePath(s.shareToken) : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** Every listed task type must exist: an unknown key would silently change nothing. */
export async function checkTaskTypes(baselines: readonly ScenarioBaseline[]): Promise<void> {
  const keys = baselines.map((b) => b.taskType);
  const found = new Set((await db.taskType.findMany({ where: { key: { in: keys } }, select: { key: true } })).map((t) => t.key));
  const missing = baselines.findIndex((b) => !found.has(b.taskType));
  if (missing >= 0) throw new BadRequestError("Invalid request body", [{ path: `baselines.${missing}.taskType`, message: `no task type ${baselines[missing]!.taskType}` }]);
}

/** Stored as the columns would hold them: two decimals. */
const plain = (bs: readonly ScenarioBaseline[]) => bs.map((b) => ({ taskType: b.taskType, baselineMinutes: new Decimal(b.baselineMinutes).toFixed(2), loadedHourlyCost: new Decimal(b.loadedHourlyCost).toFixed(2) }));

export async function listScenarios(caller: UserCaller): Promise<ScenarioView[]> {
  const rows = await db.roiScenario.findMany({ where: { ownerId: caller.id }, include, orderBy: [{ updatedAt: "desc" }, { id: "desc" }] });
  return rows.map((s) => view(s, caller));
}

/** The caller's own scenario; someone else's is a 404, so ids reveal nothing. */
async function own(caller: UserCaller, id: number): Promise<Row> {
  const s = await db.roiScenario.findUnique({ where: { id }, include });
  if (!s || s.ownerId !== caller.id) throw new NotFoundError(`No scenario ${id}`);
  return s;
}

export async function getScenario(caller: UserCaller, id: number): Promise<ScenarioView> {
  return view(await own(caller, id), caller);
}

export async function sharedScenario(caller: Caller, token: string): Promise<ScenarioView> {
  const s = await db.roiScenario.findUnique({ where: { shareToken: token }, include });
  if (!s) throw new NotFoundError("This link is not shared (any more)");
  return view(s, caller);
}

export async function createScenario(caller: UserCaller, input: z.output<typeof scenarioCreate>): Promise<ScenarioView> {
  await checkTaskTypes(input.baselines);
  return db.$transaction(async (tx) => {
    const s = await tx.roiScenario.create({ data: { name: input.name, ownerId: caller.id, baselines: plain(input.baselines) }, include });
    const result = view(s, caller);
    await audit(tx, { actor: caller, action: "roi_scenario.create", entity: "roi_scenario", entityId: s.id, after: result });
    return result;
  });
}

export async function updateScenario(caller: UserCaller, id: number, input: z.output<typeof scenarioUpdate>): Promise<ScenarioView> {
  if (input.baselines) await checkTaskTypes(input.baselines);
  const before = await own(caller, id);
  return db.$transaction(async (tx) => {
    const shareToken = input.shared === undefined ? undefined : input.shared ? (before.shareToken ?? randomBytes(24).toString("base64url")) : null;
    const s = await tx.roiScenario.update({
      where: { id },
      data: { name: input.name, baselines: input.baselines ? plain(input.baselines) : undefined, shareToken },
      include,
    });
    const result = view(s, caller);
    const action = input.shared === true && !before.shareToken ? "roi_scenario.share" : input.shared === false && before.shareToken ? "roi_scenario.unshare" : "roi_scenario.update";
    await audit(tx, { actor: caller, action, entity: "roi_scenario", entityId: id, before: view(before, caller), after: result });
    return result;
  });
}

export async function deleteScenario(caller: UserCaller, id: number): Promise<void> {
  const before = await own(caller, id);
  await db.$transaction(async (tx) => {
    await tx.roiScenario.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "roi_scenario.delete", entity: "roi_scenario", entityId: id, before: view(before, caller) });
  });
}
