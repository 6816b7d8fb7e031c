// Writes the demo organization with plain `pg`: reference rows with INSERTs, events with a streaming COPY.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import bcrypt from "bcryptjs";
import type { PoolClient } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { waitForUpdate } from "@pydantic/genai-prices";
import { catalogRows, type CatalogProviderData } from "../../lib/pricing/catalog";
import { CATALOG_PACKAGE, insertCatalogRows, replaceCatalogProviders } from "../../lib/pricing/catalog-sql";
import { MODEL_PRICES } from "../../lib/pricing/model-prices";
import { DEMO_USERS } from "../demo-users";
import {
  AGENTS, ALLOCATIONS, COMMITMENT, CUSTOMER_PLANS, CUSTOMERS, DEPARTMENTS, METERS, ORGANIZATION, PLANS, TASK_TYPES, TAX_RATES,
} from "./catalog";
import { EVENT_COLUMNS, generateEventChunks, type GeneratorInput, type GeneratorStats, type PriceRow } from "./events";
import type { DemoWindow } from "./time";

/** Config rows are dated at 2025-01-01 so everything predates the generated usage. */
const CONFIG_FROM = "2025-01-01T00:00:00.000Z";

type Row = Record<string, unknown>;

async function insert(client: PoolClient, table: string, row: Row): Promise<number> {
  const columns = Object.keys(row);
  const result = await client.query<{ id: number }>(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
    Object.values(row),
  );
  return result.rows[0]!.id;
}

export async function isSeeded(client: PoolClient): Promise<boolean> {
  const result = await client.query<{ seeded: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM organizations) OR EXISTS (SELECT 1 FROM users)
         OR EXISTS (SELECT 1 FROM agents) OR EXISTS (SELECT 1 FROM usage_events) AS seeded`,
  );
  return result.rows[0]!.seeded;
}

/** Empties every application table (not the migration history) and restarts id sequences. */
export async function truncateAll(client: PoolClient): Promise<void> {
  const tables = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
  );
  if (tables.rows.length === 0) return;
  await client.query(`TRUNCATE ${tables.rows.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}

export type ReferenceIds = {
  userIds: Record<string, number>;
  departmentIds: Record<string, number>;
  agentIds: Record<string, number>;
  customerIds: Record<string, number>;
  prices: PriceRow[];
};

export async function insertReferenceData(client: PoolClient, window: DemoWindow): Promise<ReferenceIds> {
  const windowStart = new Date(window.startMs);
  const stamp = { created_at: windowStart, updated_at: windowStart };
  await client.query(
    // demo = true marks the seed's data: production mode refuses to start on it, `npm run demo:remove` deletes it.
    `INSERT INTO organizations (id, name, currency, time_zone, fiscal_month_start, dimensions, demo, legal_name, address, tax_id, payment_instructions, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, '{}', true, $7, $8, $9, $10, $6, $6)`,
    [ORGANIZATION.id, ORGANIZATION.name, ORGANIZATION.currency, ORGANIZATION.timeZone, ORGANIZATION.fiscalMonthStart, windowStart,
     ORGANIZATION.legalName, ORGANIZATION.address, ORGANIZATION.taxId, ORGANIZATION.paymentInstructions],
  );

  const userIds: Record<string, number> = {};
  const hashes = await Promise.all(DEMO_USERS.map((u) => bcrypt.hash(u.password, 10)));
  for (const [i, user] of DEMO_USERS.entries()) {
    userIds[user.role] = await insert(client, "users", {
      email: user.email, name: user.name, role: user.role, password_hash: hashes[i], ...stamp,
    });
  }

  const departmentIds: Record<string, number> = {};
  for (const d of DEPARTMENTS) {
    departmentIds[d.code] = await insert(client, "departments", {
      code: d.code,
      name: d.name,
      parent_id: d.parent ? departmentIds[d.parent] : null,
      owner_id: d.owner ? (userIds[d.owner] ?? null) : null,
      ...stamp,
    });
  }

  for (const t of TASK_TYPES) {
    await insert(client, "task_types", {
      key: t.key, name: t.name, baseline_minutes: t.baselineMinutes, loaded_hourly_cost: t.loadedHourlyCost,
      default_baseline_minutes: t.baselineMinutes, default_loaded_hourly_cost: t.loadedHourlyCost, ...stamp,
    });
  }

  const prices: PriceRow[] = [];
  for (const p of MODEL_PRICES) {
    const id = await insert(client, "model_prices", {
      model: p.model, provider: p.provider, currency: p.currency,
      input_per_mtok: p.inputPerMTok, output_per_mtok: p.outputPerMTok,
      cache_read_per_mtok: p.cacheReadPerMTok, cache_creation_per_mtok: p.cacheCreationPerMTok,
      reasoning_per_mtok: p.reasoningPerMTok,
      effective_from: new Date(p.effectiveFrom), effective_to: p.effectiveTo ? new Date(p.effectiveTo) : null,
      created_at: new Date(CONFIG_FROM),
    });
    prices.push({
      ...p, id,
      effectiveFromMs: Date.parse(p.effectiveFrom),
      effectiveToMs: p.effectiveTo ? Date.parse(p.effectiveTo) : null,
    });
  }

  // The maintained catalog too, so events under any real model id are priced (the rows above are the demo
  // organization's own prices and override the catalog for their models).
  const catalog = catalogRows((await waitForUpdate()) as unknown as CatalogProviderData[]);
  const version = `${CATALOG_PACKAGE.name}@${CATALOG_PACKAGE.version}`;
  await insertCatalogRows(client, catalog.rows.map((r, ord) => ({ ...r, ord })), version);
  await replaceCatalogProviders(client, catalog.providers, version);

  const span = window.endMs - window.startMs;
  const agentIds: Record<string, number> = {};
  for (const a of AGENTS) {
    const created = new Date(window.startMs + Math.round((a.liveFrom ?? 0) * span) - 14 * 86_400_000);
    agentIds[a.key] = await insert(client, "agents", {
      key: a.key, name: a.name, platform: a.platform, model: a.model,
      department_id: a.department ? departmentIds[a.department] : null,
      shared: ALLOCATIONS.some((r) => r.agent === a.key),
      status: a.status ?? "active", tags: [...a.tags], billing_mode: a.billingMode ?? null, created_at: created, updated_at: created,
    });
  }

  for (const rule of ALLOCATIONS) {
    const ruleId = await insert(client, "allocation_rules", {
      agent_id: agentIds[rule.agent], method: rule.method, driver: rule.driver, effective_from: "2025-01-01",
      created_at: new Date(CONFIG_FROM),
    });
    for (const [code, share] of Object.entries(rule.shares)) {
      await insert(client, "allocation_shares", {
        rule_id: ruleId, department_id: departmentIds[code], percent: rule.method === "fixed" ? String(share) : null,
      });
    }
  }

  const customerIds: Record<string, number> = {};
  for (const c of CUSTOMERS) {
    customerIds[c.key] = await insert(client, "customers", {
      key: c.key, name: c.name, salesforce_account_id: c.salesforceAccountId, ...stamp,
      ...(c.tax ? {
        legal_name: c.tax.legalName, billing_address: c.tax.billingAddress, tax_id: c.tax.taxId, tax_country: c.tax.taxCountry,
        tax_exempt: Boolean(c.tax.taxExemptReason), tax_exempt_reason: c.tax.taxExemptReason ?? null,
      } : {}),
    });
  }
  for (const r of TAX_RATES) {
    await insert(client, "tax_rates", { country: r.country, category: r.category, name: r.name, rate_percent: r.ratePercent, effective_from: new Date(CONFIG_FROM), source: "manual", ...stamp });
  }

  const meterIds: Record<string, number> = {};
  for (const m of METERS) {
    meterIds[m.key] = await insert(client, "meters", {
      key: m.key, name: m.name, event_type: m.eventType, aggregation: m.aggregation, property: m.property, unit: m.unit,
      source: m.tasks ? "tasks" : "events", task_type: m.tasks?.taskType ?? null, handled_by: m.tasks?.handledBy ?? null,
      task_statuses: m.tasks?.taskStatuses ?? [], ...stamp,
    });
  }

  const planIds: Record<string, number> = {};
  for (const plan of PLANS) {
    planIds[plan.key] = await insert(client, "price_plans", {
      key: plan.key, version: plan.version, name: plan.name, currency: ORGANIZATION.currency,
      minimum_spend: plan.minimumSpend, effective_from: new Date(CONFIG_FROM), created_at: new Date(CONFIG_FROM),
    });
    for (const c of plan.charges) {
      await insert(client, "charges", {
        plan_id: planIds[plan.key], meter_id: meterIds[c.meter], model: c.model,
        unit_price: c.unitPrice ?? null, tiers: c.tiers ? JSON.stringify(c.tiers) : null,
        package_size: c.packageSize ?? null, markup_percent: c.markupPercent ?? null,
        credits_per_unit: c.creditsPerUnit ?? null, credit_pack_size: c.creditPackSize ?? null,
        credit_pack_price: c.creditPackPrice ?? null, free_units: c.freeUnits ?? null,
        minimum_amount: c.minimumAmount ?? null, maximum_amount: c.maximumAmount ?? null,
        guarantee_max_escalation_rate: c.guaranteeMaxEscalationRate ?? null, guarantee_credit_percent: c.guaranteeCreditPercent ?? null,
      });
    }
  }

  for (const cp of CUSTOMER_PLANS) {
    await insert(client, "customer_plans", {
      customer_id: customerIds[cp.customer], plan_id: planIds[cp.plan],
      effective_from: cp.from === "always" ? new Date(CONFIG_FROM) : new Date(window.currentMonthStartMs),
      effective_to: cp.until === "currentMonth" ? new Date(window.currentMonthStartMs) : null,
    });
  }

  // A one-year prepaid credit term starting with the first month of data.
  const commitmentStart = new Date(window.firstMonthStartMs);
  const commitmentEnd = new Date(commitmentStart);
  commitmentEnd.setUTCFullYear(commitmentEnd.getUTCFullYear() + 1);
  await insert(client, "commitments", {
    customer_id: customerIds[COMMITMENT.customer], kind: COMMITMENT.kind, amount: COMMITMENT.amount,
    starts_at: commitmentStart, ends_at: commitmentEnd, created_at: commitmentStart,
  });

  return { userIds, departmentIds, agentIds, customerIds, prices };
}

/**
 * Streams generated events into usage_events with COPY. The table must be empty: its secondary indexes are
 * dropped for the load and rebuilt afterwards (several times faster than maintaining them row by row).
 */
export async function copyEvents(
  client: PoolClient,
  input: GeneratorInput,
  stats: GeneratorStats,
  onProgress: (events: number) => void,
): Promise<{ copySeconds: number; indexSeconds: number }> {
  const started = performance.now();
  const indexes = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = 'usage_events'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const index of indexes.rows) await client.query(`DROP INDEX "${index.indexname}"`);
  await client.query("TRUNCATE usage_events, usage_event_keys");
  // One partition per UTC month of the window, so no row goes through the default partition.
  await client.query(
    `SELECT usage_events_add_partition(m) FROM (SELECT DISTINCT date_trunc('month', d, 'UTC') AS m
       FROM generate_series($1::timestamptz, $2::timestamptz, interval '1 day') d) months ORDER BY m`,
    [new Date(input.window.startMs), new Date(input.window.endMs)],
  );

  const step = Math.max(100_000, Math.ceil(input.events / 10));
  let nextReport = step;
  function* withProgress() {
    for (const chunk of generateEventChunks(input, stats)) {
      yield chunk;
      if (stats.events >= nextReport) {
        onProgress(stats.events);
        nextReport += step;
      }
    }
  }
  // No FREEZE: PostgreSQL refuses it for a partitioned table.
  const copy = client.query(copyFrom(`COPY usage_events (${EVENT_COLUMNS.join(", ")}) FROM STDIN`));
  await pipeline(Readable.from(withProgress(), { objectMode: false }), copy);
  const copied = performance.now();

  await client.query("SET LOCAL maintenance_work_mem = '512MB'");
  // A partitioned table's index reads "ON ONLY usage_events" in pg_indexes, which would build no partition's index.
  for (const index of indexes.rows) await client.query(index.indexdef.replace(" ON ONLY ", " ON "));
  // Every stored event has its idempotency key (lib/ingest/writer.ts writes both in one statement).
  await client.query(`INSERT INTO usage_event_keys (source, event_key, event_id, "timestamp") SELECT source, event_key, id, "timestamp" FROM usage_events`);
  await client.query(`SELECT setval(pg_get_serial_sequence('usage_events', 'id'), GREATEST($1::bigint, 1), $1::bigint > 0)`, [
    stats.events,
  ]);
  return { copySeconds: (copied - started) / 1000, indexSeconds: (performance.now() - copied) / 1000 };
}

/** Monthly budgets as a multiple of each department's last-30-day cost, rounded to 3 significant digits. */
export async function setBudgets(client: PoolClient, window: DemoWindow): Promise<void> {
  const costs = await client.query<{ code: string; cost: string }>(
    `SELECT d.code, coalesce(sum(e.cost), 0)::text AS cost
       FROM departments d LEFT JOIN usage_events e ON e.department_id = d.id AND e.timestamp >= $1 AND e.timestamp < $2
      GROUP BY d.code`,
    [new Date(window.endMs - 30 * 86_400_000), new Date(window.endMs)],
  );
  for (const row of costs.rows) {
    const factor = DEPARTMENTS.find((d) => d.code === row.code)?.budgetFactor ?? 1.2;
    const raw = Math.max(1, Number(row.cost) * factor);
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)) - 2);
    await client.query("UPDATE departments SET monthly_budget = $1 WHERE code = $2", [
      (Math.round(raw / magnitude) * magnitude).toFixed(2),
      row.code,
    ]);
  }
}

/** An ingest+read key for the demo source; returns the secret, which is stored only as a SHA-256 hash. */
export async function createDemoApiKey(client: PoolClient, createdById: number | undefined): Promise<string> {
  const secret = "al_" + randomBytes(20).toString("hex");
  await insert(client, "api_keys", {
    name: "Demo ingest key",
    prefix: secret.slice(0, 10),
    hash: createHash("sha256").update(secret).digest("hex"),
    source: "demo",
    scopes: ["ingest", "read"],
    created_by_id: createdById ?? null,
  });
  return secret;
}
