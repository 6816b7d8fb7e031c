// Streams demo usage events as PostgreSQL COPY text: deterministic for a given seed, window and catalog ids.
import { AGENTS, ALLOCATIONS, CUSTOMERS, PLATFORM_COSTS, TASK_TYPES, type AgentSeed } from "./catalog";
import { costUnits, formatUnits, microPrice, toMicro, type MicroPrice } from "../../lib/pricing/cost";
import { createRng, WeightedPicker, type Rng } from "./random";
import { distribute, hourSlots, type DemoWindow } from "./time";

/** Column order of every COPY line. */
export const EVENT_COLUMNS = [
  "id", "source", "event_key", "timestamp", "received_at", "type", "agent_id", "department_id", "customer_id",
  "quantity", "reported_cost", "computed_cost", "computed_price_id", "cost", "model", "input_tokens",
  "output_tokens", "cache_read_tokens", "cache_creation_tokens", "reasoning_tokens", "task_type", "handled_by",
  "task_status", "duration_seconds", "properties", "late",
] as const;

export const DEMO_SOURCE = "demo";

export type PriceRow = {
  id: number;
  model: string;
  provider: string;
  effectiveFromMs: number;
  effectiveToMs: number | null;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  reasoningPerMTok: string | null;
};

export type GeneratorInput = {
  seed: number;
  events: number;
  window: DemoWindow;
  timeZone: string;
  agentIds: Record<string, number>;
  departmentIds: Record<string, number>;
  customerIds: Record<string, number>;
  prices: readonly PriceRow[];
  /** Lines per yielded chunk. */
  chunkRows?: number;
};

export type GeneratorStats = { events: number; costUnits: bigint; reportedCostEvents: number; byType: Record<string, number> };

type EventType = "agent.action" | "agent.conversation" | "llm.call" | "task.completed";
const NULL = "\\N";
const REGIONS = new WeightedPicker(["us-east", "us-west", "eu-west", "apac"], [45, 25, 20, 10]);
const TENANTS = ["northwind-retail", "northwind-logistics", "northwind-digital"] as const;
const REASONING_MODELS = new Set(["gpt-5", "gpt-5-mini", "o3", "o4-mini"]);
const ZERO_COST = formatUnits(0);

// ISO-8601 formatting is a hot spot at millions of rows: build "mm:ss.SSS" from lookup tables instead of toISOString.
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const MINUTE_SECOND = Array.from({ length: 3600 }, (_, s) => `${pad(Math.floor(s / 60), 2)}:${pad(s % 60, 2)}.`);
const MILLIS = Array.from({ length: 1000 }, (_, ms) => `${pad(ms, 3)}Z`);

/** ISO timestamp of `ms`, given the ISO "YYYY-MM-DDTHH:" prefix of the UTC hour starting at `hourStartMs`. */
function isoInHour(hourPrefix: string, hourStartMs: number, ms: number): string {
  const offset = ms - hourStartMs;
  if (offset < 0 || offset >= 3_600_000) return new Date(ms).toISOString();
  return hourPrefix + MINUTE_SECOND[Math.floor(offset / 1000)]! + MILLIS[offset % 1000]!;
}

type AgentPlan = {
  seed: AgentSeed;
  id: number;
  types: WeightedPicker<EventType>;
  departments: WeightedPicker<number | null>;
  task: (typeof TASK_TYPES)[number] | null;
  reportedCost: { action: number; conversationPerTurn: number } | null;
  prices: { row: PriceRow; micro: MicroPrice }[];
  provider: string;
};

function idOf(map: Record<string, number>, key: string, what: string): number {
  const id = map[key];
  if (id === undefined) throw new Error(`no id for ${what} ${key}`);
  return id;
}

function planAgents(input: GeneratorInput): AgentPlan[] {
  return AGENTS.map((agent) => {
    const billsPerAction = PLATFORM_COSTS[agent.platform];
    const weights: Record<EventType, number> = billsPerAction
      ? { "agent.action": 0.5, "agent.conversation": 0.22, "llm.call": 0, "task.completed": 0.28 }
      : {
          "agent.action": 0.33,
          "agent.conversation": agent.customerFacing || agent.channels.some((c) => c === "teams" || c === "slack") ? 0.08 : 0,
          "llm.call": 0.42,
          "task.completed": 0.17,
        };
    if (!agent.taskType) weights["task.completed"] = 0;
    const types = Object.keys(weights) as EventType[];
    const allocation = ALLOCATIONS.find((a) => a.agent === agent.key);
    const departments = allocation
      ? new WeightedPicker(
          Object.keys(allocation.shares).map((code) => idOf(input.departmentIds, code, "department")),
          Object.values(allocation.shares),
        )
      : new WeightedPicker([agent.department ? idOf(input.departmentIds, agent.department, "department") : null], [1]);
    const prices = agent.model
      ? input.prices.filter((p) => p.model === agent.model).map((row) => ({ row, micro: microPrice(row) }))
      : [];
    if (agent.model && prices.length === 0) throw new Error(`no model price for ${agent.model}`);
    return {
      seed: agent,
      id: idOf(input.agentIds, agent.key, "agent"),
      types: new WeightedPicker(types, types.map((t) => weights[t])),
      departments,
      task: agent.taskType ? (TASK_TYPES.find((t) => t.key === agent.taskType) ?? null) : null,
      reportedCost: billsPerAction
        ? { action: toMicro(billsPerAction.action) * 10_000, conversationPerTurn: toMicro(billsPerAction.conversationPerTurn) * 10_000 }
        : null,
      prices,
      provider: prices[0]?.row.provider ?? "",
    };
  });
}

function agentWeight(agent: AgentSeed, progress: number): number {
  if (agent.liveUntil !== undefined && progress >= agent.liveUntil) return 0;
  if (agent.liveFrom !== undefined) {
    if (progress < agent.liveFrom) return 0;
    return agent.weight * Math.min(1, (progress - agent.liveFrom) / 0.08 + 0.1);
  }
  return agent.weight;
}

function priceAt(plan: AgentPlan, ms: number) {
  for (const p of plan.prices) {
    if (p.row.effectiveFromMs <= ms && (p.row.effectiveToMs === null || ms < p.row.effectiveToMs)) return p;
  }
  throw new Error(`no price for ${plan.seed.model} at ${new Date(ms).toISOString()}`);
}

function lognormal(rng: Rng, median: number, sigma: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * rng.gauss()))));
}

/** Yields COPY text chunks (tab-separated lines) and fills `stats` as it goes. */
export function* generateEventChunks(input: GeneratorInput, stats: GeneratorStats): Generator<string> {
  const rng = createRng(input.seed);
  const agents = planAgents(input);
  const customers = new WeightedPicker(
    CUSTOMERS.map((c) => idOf(input.customerIds, c.key, "customer")),
    CUSTOMERS.map((c) => c.weight),
  );
  const slots = hourSlots(input.window, input.timeZone, () => 0.85 + 0.3 * rng.next());
  const counts = distribute(input.events, slots);
  const chunkRows = input.chunkRows ?? 2000;
  const keyPrefix = `${DEMO_SOURCE}-${input.seed}-`;
  let lines: string[] = [];
  let chunkCost = 0;
  let index = 0;

  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s]!;
    const count = counts[s]!;
    if (count === 0) continue;
    const picker = new WeightedPicker(agents, agents.map((a) => agentWeight(a.seed, slot.progress)));
    const offsets = new Float64Array(count);
    for (let i = 0; i < count; i++) offsets[i] = Math.floor(rng.next() * slot.lengthMs);
    offsets.sort();
    const hourStartMs = Math.floor(slot.startMs / 3_600_000) * 3_600_000;
    const hourPrefix = new Date(hourStartMs).toISOString().slice(0, 14);

    for (let i = 0; i < count; i++) {
      const ts = slot.startMs + offsets[i]!;
      const agent = picker.pick(rng);
      const type = agent.types.pick(rng);
      const department = agent.departments.pick(rng);
      const customer = agent.seed.customerFacing && rng.chance(0.92) ? customers.pick(rng) : null;
      let quantity = "1";
      let reported: number | null = null;
      let computed: number | null = null;
      let priceId: number | null = null;
      let model: string | null = null;
      let tin = 0, tout = 0, tcr = 0, tcc = 0, trs = 0;
      let taskType: string | null = null, handledBy: string | null = null, taskStatus: string | null = null;
      let duration: string | null = null;
      let props = `{"region":"${REGIONS.pick(rng)}"`;
      if (rng.chance(0.5)) props += `,"tenant":"${TENANTS[rng.int(0, TENANTS.length - 1)]}"`;

      if (type === "llm.call") {
        const price = priceAt(agent, ts);
        model = agent.seed.model;
        priceId = price.row.id;
        const total = lognormal(rng, agent.seed.inputTokens, 0.45, 20, 200_000);
        const cacheChance = agent.provider === "anthropic" ? 0.55 : agent.provider === "openai" ? 0.35 : 0.25;
        tcr = rng.chance(cacheChance) ? Math.floor((total * (0.3 + 0.55 * rng.next())) / 128) * 128 : 0;
        tin = total - tcr;
        if (agent.provider === "anthropic" && tcr === 0 && rng.chance(0.2)) {
          tcc = Math.round(tin * 0.6);
          tin -= tcc;
        }
        tout = lognormal(rng, agent.seed.outputTokens, 0.5, 1, 32_000);
        if (REASONING_MODELS.has(model!)) trs = Math.round(tout * (0.5 + 2.5 * rng.next()));
        else if (agent.provider === "google" && rng.chance(0.5)) trs = Math.round(tout * (0.2 + 1.3 * rng.next()));
        else if (agent.provider === "anthropic" && rng.chance(0.1)) trs = Math.round(tout * rng.next());
        // Demo token counts stay far below the BigInt range, so the units are a plain number.
        const units = Number(costUnits(price.micro, { inputTokens: tin, outputTokens: tout, cacheReadTokens: tcr, cacheCreationTokens: tcc, reasoningTokens: trs }));
        // Self-reporting clients round to 6 decimals, as LiteLLM-style callbacks do.
        if (agent.seed.reportsLlmCost) reported = Math.round(units / 10_000) * 10_000;
        else computed = units;
        props += `,"total_tokens":${tin + tout + tcr + tcc + trs}`;
      } else if (type === "task.completed") {
        const task = agent.task!;
        taskType = task.key;
        const human = rng.chance(task.humanShare - task.humanShareDrop * slot.progress);
        handledBy = human ? "human" : "agent";
        const r = rng.next();
        if (human) taskStatus = r < 0.95 ? "completed" : r < 0.99 ? "escalated" : "failed";
        else {
          const escalated = 0.14 - 0.06 * slot.progress;
          taskStatus = r < 0.05 ? "failed" : r < 0.05 + escalated ? "escalated" : "completed";
        }
        const baseline = Number(task.baselineMinutes) * 60;
        const seconds = human ? baseline * Math.exp(0.35 * rng.gauss()) : baseline * (0.03 + 0.09 * rng.next());
        duration = (Math.round(seconds * 1000) / 1000).toFixed(3);
        props += `,"channel":"${rng.pick(agent.seed.channels)}"`;
      } else {
        props += `,"channel":"${rng.pick(agent.seed.channels)}"`;
        if (type === "agent.action") {
          const n = rng.chance(0.06) ? rng.int(2, 5) : 1;
          quantity = String(n);
          if (agent.reportedCost) reported = agent.reportedCost.action * n;
        } else {
          const turns = 1 + Math.min(30, Math.floor(-Math.log(1 - rng.next()) * 4));
          props += `,"turns":${turns}`;
          if (agent.reportedCost) reported = agent.reportedCost.conversationPerTurn * turns;
        }
      }
      props += "}";

      const cost = reported ?? computed ?? 0;
      chunkCost += cost;
      if (reported !== null) stats.reportedCostEvents++;
      stats.byType[type] = (stats.byType[type] ?? 0) + 1;
      index++;
      lines.push(
        `${index}\t${DEMO_SOURCE}\t${keyPrefix}${String(index).padStart(10, "0")}\t${isoInHour(hourPrefix, hourStartMs, ts)}\t${isoInHour(hourPrefix, hourStartMs, ts + 150 + Math.floor(rng.next() * 4000))}\t${type}\t${agent.id}\t${department ?? NULL}\t${customer ?? NULL}\t${quantity}\t${reported === null ? NULL : formatUnits(reported)}\t${computed === null ? NULL : formatUnits(computed)}\t${priceId ?? NULL}\t${cost === 0 ? ZERO_COST : formatUnits(cost)}\t${model ?? NULL}\t${tin}\t${tout}\t${tcr}\t${tcc}\t${trs}\t${taskType ?? NULL}\t${handledBy ?? NULL}\t${taskStatus ?? NULL}\t${duration ?? NULL}\t${props}\tf\n`,
      );
      if (lines.length >= chunkRows) {
        stats.events += lines.length;
        stats.costUnits += BigInt(chunkCost);
        chunkCost = 0;
        yield lines.join("");
        lines = [];
      }
    }
  }
  if (lines.length > 0) {
    stats.events += lines.length;
    stats.costUnits += BigInt(chunkCost);
    yield lines.join("");
  }
}

export function emptyStats(): GeneratorStats {
  return { events: 0, costUnits: 0n, reportedCostEvents: 0, byType: {} };
}
