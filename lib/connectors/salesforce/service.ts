// Salesforce connections for the admin API and page: create/update (audited, secret never logged), test
// connection (token + describe + mapping check), preset preview (discovery + sample rows), push log, retry, and an on-demand usage-summary push.
import "server-only";
import { createPrivateKey } from "node:crypto";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import type { Connector, ConnectorRun, SalesforcePush } from "@/lib/generated/prisma/client";
import { encryptSecret } from "../crypto";
import { assertSecretForHostChange, runView } from "../service";
import { clientFor, SALESFORCE, settingsOf } from "./connection";
import { checkMapping } from "./mapping";
import { DEFAULT_QUERY } from "./data360";
import { previewPresets } from "./preset-pull";
import { reconcile } from "./reconcile";
import { hasCustomObject, type Preset, type PresetPreviewView, type Reconciliation } from "./schemas";
import { enqueueUsageSummaries, flushPushes, retryFailedPushes } from "./push";
import type { SalesforceConnectionCreate, SalesforceConnectionUpdate, SalesforceConnectionView, SalesforceFlushResult, SalesforcePushView, SalesforceSettings, SalesforceTestResult, SalesforceUsageSummaryResult } from "./schemas";

function view(c: Connector & { runs: ConnectorRun[] }): SalesforceConnectionView {
  return {
    id: c.id,
    name: c.name,
    instanceUrl: c.baseUrl,
    clientSecretSet: c.apiKeyEncrypted !== "",
    settings: c.settings as SalesforceSettings, // written only from SalesforceSettingsSchema output
    agentKey: c.agentKey,
    intervalMinutes: c.intervalMinutes,
    backfillDays: c.backfillDays,
    enabled: c.enabled,
    watermark: c.checkpoint?.toISOString() ?? null,
    nextRunAt: c.nextRunAt.toISOString(),
    lastRun: c.runs[0] ? runView(c.runs[0]) : null,
  };
}

const withLastRun = { runs: { orderBy: { id: "desc" as const }, take: 1 } };

function auditable(c: Connector) {
  const { apiKeyEncrypted: _secret, ...rest } = c;
  void _secret;
  return rest;
}

async function find(id: number): Promise<Connector> {
  const c = await db.connector.findFirst({ where: { id, provider: SALESFORCE } });
  if (!c) throw new NotFoundError("No such Salesforce connection");
  return c;
}

export async function listConnections(): Promise<SalesforceConnectionView[]> {
  return (await db.connector.findMany({ where: { provider: SALESFORCE }, orderBy: { id: "asc" }, include: withLastRun })).map(view);
}

export async function getConnection(id: number): Promise<SalesforceConnectionView> {
  await find(id);
  return view(await db.connector.findUniqueOrThrow({ where: { id }, include: withLastRun }));
}

/** For the JWT bearer flow the secret is the connected app's private key: refuse one that is not a PEM private key. */
function assertPrivateKey(settings: SalesforceSettings | undefined, secret: string | undefined): void {
  if (settings?.auth !== "jwt_bearer" || secret === undefined) return;
  try {
    createPrivateKey(secret);
  } catch {
    throw new BadRequestError("clientSecret: for the JWT bearer flow, the PEM private key of the connected app's certificate");
  }
}

export async function createConnection(caller: Caller, input: SalesforceConnectionCreate): Promise<SalesforceConnectionView> {
  assertPrivateKey(input.settings, input.clientSecret);
  const created = await db.$transaction(async (tx) => {
    const c = await tx.connector.create({
      data: {
        name: input.name,
        provider: SALESFORCE,
        dataset: "consumption",
        baseUrl: input.instanceUrl.replace(/\/+$/, ""),
        apiKeyEncrypted: encryptSecret(input.clientSecret),
        agentKey: input.agentKey,
        settings: input.settings,
        intervalMinutes: input.intervalMinutes,
        backfillDays: input.backfillDays,
        enabled: input.enabled,
      },
    });
    await audit(tx, { actor: caller, action: "salesforce.connect", entity: "connector", entityId: c.id, after: auditable(c) });
    return c;
  });
  return getConnection(created.id);
}

export async function updateConnection(caller: Caller, id: number, input: SalesforceConnectionUpdate): Promise<SalesforceConnectionView> {
  await find(id);
  assertPrivateKey(input.settings, input.clientSecret);
  await db.$transaction(async (tx) => {
    const before = await tx.connector.findUniqueOrThrow({ where: { id } });
    const { clientSecret, instanceUrl, ...fields } = input;
    assertSecretForHostChange(before.baseUrl, instanceUrl, clientSecret, { url: "instanceUrl", secret: "clientSecret" });
    const after = await tx.connector.update({
      where: { id },
      data: {
        ...fields,
        ...(instanceUrl ? { baseUrl: instanceUrl.replace(/\/+$/, "") } : {}),
        ...(clientSecret ? { apiKeyEncrypted: encryptSecret(clientSecret) } : {}),
        // Another host, or no presets left: the org claim (one preset connection per org) is released; the next preset sync claims again.
        ...((instanceUrl && new URL(instanceUrl).host !== new URL(before.baseUrl).host) || (fields.settings && !fields.settings.presets.length) ? { externalAccount: null } : {}),
      },
    });
    await audit(tx, { actor: caller, action: "salesforce.update", entity: "connector", entityId: id, before: auditable(before), after: { ...auditable(after), ...(clientSecret ? { clientSecretChanged: true } : {}) } });
  });
  return getConnection(id);
}

/** Authenticates, describes the object and checks the mapping; a failure is a 400 with Salesforce's reason. */
export async function testConnection(id: number): Promise<SalesforceTestResult> {
  const connector = await find(id);
  try {
    const client = clientFor(connector, { attempts: 2, baseDelayMs: 500, maxDelayMs: 2_000, timeoutMs: 15_000 });
    const settings = settingsOf(connector);
    if (!hasCustomObject(settings)) {
      // Presets only: the token and the object list prove access; the preview shows what each preset resolves to.
      await client.listObjects();
      return { ok: true, object: null, fields: 0 };
    }
    const describe = await client.describe(settings.object);
    checkMapping(settings, describe.fields);
    return { ok: true, object: settings.object, fields: describe.fields.length };
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
}

/** Discovers what each preset resolves to in the org and samples the rows a first sync would import; nothing stored. */
export async function previewConnection(id: number, presets: Preset[]): Promise<PresetPreviewView> {
  const connector = await find(id);
  try {
    const client = clientFor(connector, { attempts: 2, baseDelayMs: 500, maxDelayMs: 2_000, timeoutMs: 15_000 });
    return (await previewPresets(connector, client, presets, { query: { ...DEFAULT_QUERY, maxWaitMs: 30_000 } })) as PresetPreviewView;
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
}

/** AgentLedger's credits vs the org's consumption totals per month (read live); a Salesforce failure is a 400 with its reason. */
export async function reconcileConnection(caller: Caller, id: number, input: { from: string; to: string; granularity: "day" | "hour" }): Promise<Reconciliation> {
  assertOrganizationWide(caller, "Credit reconciliations");
  const connector = await find(id);
  try {
    const client = clientFor(connector, { attempts: 2, baseDelayMs: 500, maxDelayMs: 2_000, timeoutMs: 15_000 });
    return await reconcile(connector, client, input, { ...DEFAULT_QUERY, maxWaitMs: 30_000 });
  } catch (error) {
    throw new BadRequestError((error as Error).message);
  }
}

function pushView(p: SalesforcePush): SalesforcePushView {
  return {
    id: p.id,
    kind: p.kind as SalesforcePushView["kind"],
    externalId: p.externalId,
    sobject: p.sobject,
    status: p.status as SalesforcePushView["status"],
    salesforceId: p.salesforceId,
    error: p.error,
    attempts: p.attempts,
    pushedAt: p.pushedAt?.toISOString() ?? null,
  };
}

export async function listPushes(id: number, limit = 100): Promise<SalesforcePushView[]> {
  await find(id);
  return (await db.salesforcePush.findMany({ where: { connectorId: id }, orderBy: { id: "desc" }, take: limit })).map(pushView);
}

export async function retryPushes(id: number): Promise<SalesforceFlushResult> {
  return retryFailedPushes(await find(id));
}

export async function pushUsageSummaries(id: number, period: string): Promise<SalesforceUsageSummaryResult> {
  const connector = await find(id);
  const accounts = await enqueueUsageSummaries(connector, period);
  return { accounts, ...(await flushPushes(connector)) };
}
