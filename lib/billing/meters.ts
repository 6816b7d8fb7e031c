// Meters: what usage or which outcomes a charge prices. Organization-wide; writes audited. Editing a meter re-rates
// drafts at their next run; finalized invoices never change.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { meterStored, type meterCreate, type meterUpdate, type MeterView } from "./meter-schemas";

type Row = Prisma.MeterGetPayload<{ include: { agent: { select: { key: true } } } }>;
const withAgent = { agent: { select: { key: true } } } as const;

function view(m: Row): MeterView {
  return {
    id: m.id,
    key: m.key,
    name: m.name,
    unit: m.unit,
    source: m.source as MeterView["source"],
    eventType: m.eventType,
    propertyFilter: (m.propertyFilter as MeterView["propertyFilter"]) ?? null,
    aggregation: m.aggregation as MeterView["aggregation"],
    property: m.property,
    taskType: m.taskType,
    handledBy: m.handledBy as MeterView["handledBy"],
    agent: m.agent?.key ?? null,
    taskStatuses: m.taskStatuses as MeterView["taskStatuses"],
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export async function listMeters(caller: Caller): Promise<MeterView[]> {
  assertOrganizationWide(caller, "Meters");
  return (await db.meter.findMany({ include: withAgent, orderBy: { key: "asc" } })).map(view);
}

async function agentId(tx: Prisma.TransactionClient, key: string | null | undefined): Promise<number | null | undefined> {
  if (key === undefined || key === null) return key;
  const agent = await tx.agent.findUnique({ where: { key }, select: { id: true } });
  if (!agent) throw new BadRequestError("Invalid request", [{ path: "agent", message: `No agent with key ${key}` }]);
  return agent.id;
}

/** The stored form: the agent by id, a cleared property filter as SQL NULL. */
function data<T extends { agent?: string | null; propertyFilter?: Record<string, string | number | boolean> | null }>(input: T) {
  const { propertyFilter, ...rest } = input;
  delete rest.agent;
  return { ...rest, ...(propertyFilter === undefined ? {} : { propertyFilter: propertyFilter ?? Prisma.DbNull }) };
}

export async function createMeter(caller: Caller, input: z.output<typeof meterCreate>): Promise<MeterView> {
  assertOrganizationWide(caller, "Meters");
  return db.$transaction(async (tx) => {
    const row: Prisma.MeterUncheckedCreateInput = { ...data(input), agentId: await agentId(tx, input.agent) };
    const meter = await tx.meter.create({ data: row, include: withAgent });
    await audit(tx, { actor: caller, action: "meter.create", entity: "meter", entityId: meter.id, after: view(meter) });
    return view(meter);
  });
}

export async function updateMeter(caller: Caller, key: string, input: z.output<typeof meterUpdate>): Promise<MeterView> {
  assertOrganizationWide(caller, "Meters");
  return db.$transaction(async (tx) => {
    const before = await tx.meter.findUnique({ where: { key }, include: withAgent });
    if (!before) throw new NotFoundError(`No meter ${key}`);
    // The cross-field rules hold for the meter as it will be stored (a ZodError answers 400 with the fields).
    meterStored.parse({ ...view(before), ...input });
    const row: Prisma.MeterUncheckedUpdateInput = { ...data(input), agentId: await agentId(tx, input.agent) };
    const after = await tx.meter.update({ where: { key }, data: row, include: withAgent });
    await audit(tx, { actor: caller, action: "meter.update", entity: "meter", entityId: before.id, before: view(before), after: view(after) });
    return view(after);
  });
}
