// Connector configuration and status for the admin API and page; every change is audited (without the key).
import "server-only";
import { BadRequestError, ConflictError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import type { Connector, ConnectorRun } from "@/lib/generated/prisma/client";
import { encryptSecret } from "./crypto";
import { DEFAULT_BASE_URL, type Provider } from "./providers";
import { claim, runClaimed } from "./run";
import type { ConnectorCreate, ConnectorRunView, ConnectorUpdate, ConnectorView } from "./schemas";

export function runView(run: ConnectorRun): ConnectorRunView {
  return {
    id: run.id,
    status: run.status as ConnectorRunView["status"],
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    pages: run.pages,
    accepted: run.accepted,
    duplicates: run.duplicates,
    rejected: run.rejected,
    error: run.error,
  };
}

function view(c: Connector & { runs: ConnectorRun[] }): ConnectorView {
  return {
    id: c.id,
    name: c.name,
    provider: c.provider as ConnectorView["provider"],
    dataset: c.dataset as ConnectorView["dataset"],
    baseUrl: c.baseUrl,
    apiKeySet: c.apiKeyEncrypted !== "",
    agentKey: c.agentKey,
    departmentCode: c.departmentCode,
    intervalMinutes: c.intervalMinutes,
    backfillDays: c.backfillDays,
    enabled: c.enabled,
    checkpoint: c.checkpoint?.toISOString() ?? null,
    nextRunAt: c.nextRunAt.toISOString(),
    lastRun: c.runs[0] ? runView(c.runs[0]) : null,
  };
}

const withLastRun = { runs: { orderBy: { id: "desc" as const }, take: 1 } };

/** Audit-safe copy: the encrypted key never leaves the service. */
function auditable(connector: Connector): Omit<Connector, "apiKeyEncrypted"> {
  const copy: Partial<Connector> = { ...connector };
  delete copy.apiKeyEncrypted;
  return copy as Omit<Connector, "apiKeyEncrypted">;
}

/**
 * Moving a connector to another host (scheme, name or port) needs its secret re-entered, so a changed URL can
 * never send the stored secret somewhere its owner did not send it.
 */
export function assertSecretForHostChange(before: string, after: string | undefined, secret: string | undefined, fields: { url: string; secret: string }): void {
  if (!after || secret || new URL(after).origin === new URL(before).origin) return;
  throw new BadRequestError(`Changing ${fields.url} to another host requires re-entering ${fields.secret}`, [
    { path: fields.secret, message: `required when ${fields.url} moves to another host` },
  ]);
}

export async function listConnectors(): Promise<ConnectorView[]> {
  return (await db.connector.findMany({ where: { provider: { not: "salesforce" } }, orderBy: { id: "asc" }, include: withLastRun })).map(view);
}

export async function getConnector(id: number): Promise<ConnectorView> {
  return view(await db.connector.findUniqueOrThrow({ where: { id }, include: withLastRun }));
}

export async function createConnector(caller: Caller, input: ConnectorCreate): Promise<ConnectorView> {
  const created = await db.$transaction(async (tx) => {
    const c = await tx.connector.create({
      data: {
        name: input.name,
        provider: input.provider,
        dataset: input.dataset,
        baseUrl: input.baseUrl ?? DEFAULT_BASE_URL[input.provider as Provider],
        apiKeyEncrypted: encryptSecret(input.apiKey),
        agentKey: input.agentKey ?? `${input.provider}-org`,
        departmentCode: input.departmentCode ?? null,
        intervalMinutes: input.intervalMinutes,
        backfillDays: input.backfillDays,
        enabled: input.enabled,
      },
    });
    await audit(tx, { actor: caller, action: "connector.create", entity: "connector", entityId: c.id, after: auditable(c) });
    return c;
  });
  return getConnector(created.id);
}

export async function updateConnector(caller: Caller, id: number, input: ConnectorUpdate): Promise<ConnectorView> {
  await db.$transaction(async (tx) => {
    const before = await tx.connector.findUniqueOrThrow({ where: { id } });
    const { apiKey, ...fields } = input;
    assertSecretForHostChange(before.baseUrl, fields.baseUrl, apiKey, { url: "baseUrl", secret: "apiKey" });
    const after = await tx.connector.update({
      where: { id },
      data: { ...fields, ...(apiKey ? { apiKeyEncrypted: encryptSecret(apiKey) } : {}) },
    });
    await audit(tx, {
      actor: caller,
      action: "connector.update",
      entity: "connector",
      entityId: id,
      before: auditable(before),
      after: { ...auditable(after), ...(apiKey ? { apiKeyChanged: true } : {}) },
    });
  });
  return getConnector(id);
}

export async function deleteConnector(caller: Caller, id: number): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.connector.delete({ where: { id } });
    await audit(tx, { actor: caller, action: "connector.delete", entity: "connector", entityId: id, before: auditable(before) });
  });
}

/** Runs the connector now, whether due or not; 409 while another run holds it. */
export async function runConnectorNow(id: number): Promise<ConnectorRunView> {
  await db.connector.findUniqueOrThrow({ where: { id } });
  if (!(await claim(id, false))) throw new ConflictError("This connector is running already");
  const runId = await runClaimed(id);
  return runView(await db.connectorRun.findUniqueOrThrow({ where: { id: runId } }));
}

export async function listRuns(id: number, limit = 50): Promise<ConnectorRunView[]> {
  return (await db.connectorRun.findMany({ where: { connectorId: id }, orderBy: { id: "desc" }, take: limit })).map(runView);
}
