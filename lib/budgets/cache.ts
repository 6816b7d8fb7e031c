// What budget checks answer from: each app instance holds the limits, the department tree, agents, and the spend of
// the current periods (budget_spend_daily from the earliest current period on) in memory, so a check never queries.
// Kept current by:
//   - this instance's ingestion: the ingest statement returns the spend rows it changed (applyLocal), applied
//     before the batch is acknowledged;
//   - LISTEN on BUDGET_CHANNEL: "spend" (any instance's write path, sent at commit) reloads the spend window,
//     coalesced; "config" (a trigger on limits, departments, agents, keys, the time zone) reloads the rest and drops
//     cached API keys (revocation);
//   - a heartbeat every second on the listening connection. While it answers, the cache is current (age ≤ ~1 s).
//     When it fails, notifications may be lost: the age grows from the last good heartbeat, and on reconnection
//     everything is reloaded before the age resets. Checks answer from the cache while its age is ≤ 60 s.
import Decimal from "decimal.js";
import pg from "pg";
import { BUDGET_CHANNEL, type SpendRow } from "./spend-sql";
import { periodWindow, windowStart, type BudgetPeriod, type PeriodWindow } from "./periods";

export const MAX_CACHE_AGE_MS = 60_000;
const HEARTBEAT_MS = 1_000;
const FULL_RELOAD_MS = 60_000;

export type LimitScope = "department" | "agent" | "apiKey";
export type CachedLimit = {
  /** null: the implicit soft limit of a department's monthly budget (no budget_limits row). */
  id: number | null;
  scope: LimitScope;
  targetId: number;
  /** Department code, agent key or API key prefix. */
  target: string;
  period: BudgetPeriod;
  soft: Decimal | null;
  hard: Decimal | null;
  failMode: "open" | "closed";
};

export type BudgetConfig = {
  timeZone: string;
  currency: string;
  limits: CachedLimit[];
  departmentByCode: Map<string, number>;
  /** Each department's id and its ancestors' (nearest first). */
  ancestors: Map<number, number[]>;
  agents: Map<string, { id: number; departmentId: number | null }>;
  keySource: Map<number, string>;
};

type SpendEntry = { day: string; source: string; agentId: number; departmentId: number; cost: Decimal };

export type CacheOptions = {
  /** Queries (reloads). */
  pool: pg.Pool;
  /** For the dedicated LISTEN connection. */
  connectionString: string;
  now?: () => number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
};

export class BudgetCache {
  config: BudgetConfig | null = null;
  private spend = new Map<string, SpendEntry>();
  private spendVersion = 0;
  private memo = new Map<string, Decimal>();
  private memoVersion = -1;
  private windows = new Map<string, PeriodWindow>();
  private windowsSecond = -1;
  /** When the cache was last known current (ms); 0 = never loaded. */
  private syncedAt = 0;
  private listener: pg.Client | null = null;
  private connecting = false;
  private timer: NodeJS.Timeout | null = null;
  private started: Promise<void> | null = null;
  private lastFullReload = 0;
  private requested = 0;
  private completed = 0;
  private loading: Promise<void> | null = null;
  private recentLocal: { at: number; rows: SpendRow[] }[] = [];
  private keyListeners = new Set<() => void>();
  readonly now: () => number;

  constructor(private opts: CacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Connects, loads everything, and keeps it current; resolves once loaded (rejects if the database is down). */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
      this.timer.unref();
      await this.connect();
      if (!this.config) throw new Error("budget cache: database unavailable");
    })().catch((error) => {
      this.started = null; // the next check tries again (the heartbeat keeps trying meanwhile)
      throw error;
    });
    return this.started;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.started = null;
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => {});
  }

  /** How old the cache may be: 0 while the listening connection answers; Infinity before the first load. */
  ageMs(): number {
    return this.syncedAt === 0 ? Infinity : Math.max(0, this.now() - this.syncedAt);
  }

  /** Called when keys may have changed (revocation, scopes): cached key lookups must be dropped. */
  onKeysChanged(listener: () => void): void {
    this.keyListeners.add(listener);
  }

  private async connect(): Promise<void> {
    if (this.connecting || this.listener) return;
    this.connecting = true;
    const client = new pg.Client({ connectionString: this.opts.connectionString, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
    try {
      client.on("error", () => this.dropListener(client));
      client.on("end", () => this.dropListener(client));
      client.on("notification", (n) => this.onNotification(n.payload ?? ""));
      await client.connect();
      await client.query(`LISTEN ${BUDGET_CHANNEL}`);
      const t0 = this.now();
      // Notifications missed while disconnected: everything is read again before the cache counts as current.
      await this.reloadAll();
      this.listener = client;
      this.syncedAt = t0;
    } catch (error) {
      this.opts.log?.("budget cache: cannot connect", { error: (error as Error).message });
      await client.end().catch(() => {});
    } finally {
      this.connecting = false;
    }
  }

  private dropListener(client: pg.Client) {
    if (this.listener === client) {
      this.listener = null;
      void client.end().catch(() => {});
    }
  }

  private async tick(): Promise<void> {
    const client = this.listener;
    if (!client) return this.connect();
    const t0 = this.now();
    try {
      await client.query("SELECT 1");
      if (this.listener !== client) return;
      if (t0 - this.lastFullReload >= FULL_RELOAD_MS) await this.reloadAll();
      this.syncedAt = Math.max(this.syncedAt, t0);
    } catch {
      this.dropListener(client);
    }
  }

  private onNotification(payload: string) {
    if (payload === "config") void this.reloadConfig().catch(() => {});
    else if (payload === "spend") void this.refreshSpend().catch(() => {});
  }

  private async reloadAll(): Promise<void> {
    await this.reloadConfig();
    await this.refreshSpend();
    this.lastFullReload = this.now();
  }

  async reloadConfig(): Promise<void> {
    for (const listener of this.keyListeners) listener();
    const q = <T extends pg.QueryResultRow>(text: string) => this.opts.pool.query<T>(text).then((r) => r.rows);
    const [org, departments, agents, keys, limits] = await Promise.all([
      q<{ time_zone: string; currency: string }>("SELECT time_zone, trim(currency) AS currency FROM organizations WHERE id = 1"),
      q<{ id: number; code: string; parent_id: number | null; monthly_budget: string | null }>(
        "SELECT id, code, parent_id, monthly_budget::text FROM departments"),
      q<{ id: number; key: string; department_id: number | null }>("SELECT id, key, department_id FROM agents"),
      q<{ id: number; source: string; prefix: string }>("SELECT id, source, prefix FROM api_keys WHERE revoked_at IS NULL"),
      q<{ id: number; scope: LimitScope; department_id: number | null; agent_id: number | null; api_key_id: number | null; period: BudgetPeriod; soft: string | null; hard: string | null; fail_mode: "open" | "closed" }>(
        "SELECT id, scope, department_id, agent_id, api_key_id, period, soft::text, hard::text, fail_mode FROM budget_limits"),
    ]);
    const parent = new Map(departments.map((d) => [d.id, d.parent_id]));
    const ancestors = new Map<number, number[]>();
    for (const d of departments) {
      const chain: number[] = [];
      for (let id: number | null | undefined = d.id; id != null && !chain.includes(id); id = parent.get(id)) chain.push(id);
      ancestors.set(d.id, chain);
    }
    const code = new Map(departments.map((d) => [d.id, d.code]));
    const agentKey = new Map(agents.map((a) => [a.id, a.key]));
    const keyPrefix = new Map(keys.map((k) => [k.id, k.prefix]));
    const dec = (v: string | null) => (v === null ? null : new Decimal(v));
    const budget = new Map(departments.map((d) => [d.id, dec(d.monthly_budget)]));
    const cached: CachedLimit[] = [];
    for (const l of limits) {
      const targetId = (l.department_id ?? l.agent_id ?? l.api_key_id)!;
      const target = l.scope === "department" ? code.get(targetId) : l.scope === "agent" ? agentKey.get(targetId) : keyPrefix.get(targetId);
      if (target === undefined) continue; // a revoked key's limits no longer apply
      // A department's monthly budget is the soft level of its month limit unless the limit sets one.
      const soft = l.soft === null && l.scope === "department" && l.period === "month" ? (budget.get(targetId) ?? null) : dec(l.soft);
      cached.push({ id: l.id, scope: l.scope, targetId, target, period: l.period, soft, hard: dec(l.hard), failMode: l.fail_mode });
    }
    for (const d of departments) {
      const b = budget.get(d.id);
      if (b && !cached.some((l) => l.scope === "department" && l.targetId === d.id && l.period === "month")) {
        cached.push({ id: null, scope: "department", targetId: d.id, target: d.code, period: "month", soft: b, hard: null, failMode: "open" });
      }
    }
    this.config = {
      timeZone: org[0]?.time_zone ?? "UTC",
      currency: org[0]?.currency ?? "USD",
      limits: cached,
      departmentByCode: new Map(departments.map((d) => [d.code, d.id])),
      ancestors,
      agents: new Map(agents.map((a) => [a.key, { id: a.id, departmentId: a.department_id }])),
      keySource: new Map(keys.map((k) => [k.id, k.source])),
    };
    this.windows.clear();
    this.spendVersion++;
  }

  /** Re-reads the spend window; resolves after a read that started after this call (concurrent calls share reads). */
  async refreshSpend(): Promise<void> {
    const mine = ++this.requested;
    while (this.completed < mine) {
      if (!this.loading) {
        const covers = this.requested;
        this.loading = this.loadSpend(this.now())
          .then(() => void (this.completed = Math.max(this.completed, covers)))
          .finally(() => (this.loading = null));
      }
      await this.loading;
    }
  }

  private async loadSpend(startedAt: number): Promise<void> {
    const tz = this.config?.timeZone ?? "UTC";
    const from = windowStart(tz, new Date(this.now()));
    const { rows } = await this.opts.pool.query<{ day: string; source: string; agent_id: number; department_id: number; cost: string }>(
      "SELECT day::text, source, agent_id, department_id, cost::text FROM budget_spend_daily WHERE day >= $1::date", [from]);
    const spend = new Map<string, SpendEntry>();
    for (const r of rows) this.put(spend, [r.day, r.source, r.agent_id, r.department_id, r.cost]);
    // Rows this instance wrote while the read ran may be newer than what it saw.
    this.recentLocal = this.recentLocal.filter((l) => l.at >= startedAt - 5_000);
    for (const l of this.recentLocal) if (l.at >= startedAt) for (const row of l.rows) this.put(spend, row);
    this.spend = spend;
    this.spendVersion++;
  }

  private put(map: Map<string, SpendEntry>, [day, source, agentId, departmentId, cost]: SpendRow) {
    map.set(`${day}|${source}|${agentId}|${departmentId}`, { day, source, agentId, departmentId, cost: new Decimal(cost) });
  }

  /** Spend rows this instance's ingestion just wrote (their new totals): visible to the next check. */
  applyLocal(rows: SpendRow[]): void {
    if (rows.length === 0) return;
    this.recentLocal.push({ at: this.now(), rows });
    for (const row of rows) this.put(this.spend, row);
    this.spendVersion++;
  }

  /** The current period of a limit period, memoised per second (boundaries fall on whole seconds). */
  window(period: BudgetPeriod, now: number): PeriodWindow {
    const second = Math.floor(now / 1000);
    if (second !== this.windowsSecond) {
      this.windows.clear();
      this.windowsSecond = second;
    }
    let w = this.windows.get(period);
    if (!w) {
      w = periodWindow(period, this.config?.timeZone ?? "UTC", new Date(now));
      this.windows.set(period, w);
    }
    return w;
  }

  /** Spend counted against a limit in a period: direct cost of the department's subtree, the agent, or the key's source. */
  spent(limit: CachedLimit, w: PeriodWindow): Decimal {
    if (this.memoVersion !== this.spendVersion) {
      this.memo.clear();
      this.memoVersion = this.spendVersion;
    }
    const memoKey = `${limit.scope}:${limit.targetId}:${w.from}:${w.to}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const config = this.config!;
    const source = limit.scope === "apiKey" ? config.keySource.get(limit.targetId) : undefined;
    let total = new Decimal(0);
    for (const e of this.spend.values()) {
      if (e.day < w.from || e.day >= w.to) continue;
      const match =
        limit.scope === "agent" ? e.agentId === limit.targetId
        : limit.scope === "apiKey" ? e.source === source
        : (config.ancestors.get(e.departmentId)?.includes(limit.targetId) ?? false);
      if (match) total = total.plus(e.cost);
    }
    this.memo.set(memoKey, total);
    return total;
  }
}
