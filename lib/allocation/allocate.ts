// Department chargeback for one period, as pure math over daily usage rows.
//
// - A non-shared agent's cost is *direct* cost of the department its events were booked to
//   (department 0 = unassigned → unallocated, shown, never dropped).
// - A shared agent's cost is *allocated* day by day with the rule in force on that day (rules are
//   versioned by effective date, so re-running a past month gives the same answer):
//     fixed:        cost × percent / 100 per listed department;
//     even:         cost / n per listed department;
//     proportional: cost × driver_d / Σ driver over the participants — the listed departments, or if none
//                   are listed every department that used the agent; driver = tasks (events with a task
//                   type), events or quantity of the agent's usage booked to each department.
//   A day without a rule, or a proportional split with no driver among the participants, stays unallocated.
// - Exact amounts are rounded once, at the end (settle, apportion.ts): the period total is rounded half-even
//   to the cent (or the display currency's minor unit, `places`) and split by largest remainder over [each department's direct, each department's
//   allocated, unallocated], ties by department code; each department's lines are then split the same way
//   to its rounded direct/allocated amounts. So Σ departments' totals + unallocated = total, to the cent,
//   and every statement's lines add up to its department's totals.
import { apportion, roundCents, type Part } from "./apportion";
import { Decimal, ZERO, sum } from "./decimal";
import { ruleOn, type Rule } from "./rules";

export type UsageRow = {
  day: string;
  agentId: number;
  /** 0 = unassigned */
  departmentId: number;
  cost: Decimal;
  events: Decimal;
  /** Events that carry a task type. */
  tasks: Decimal;
  quantity: Decimal;
};

export type AllocationInput = {
  rows: readonly UsageRow[];
  sharedAgentIds: ReadonlySet<number>;
  rules: readonly Rule[];
  /** Department id → code, for every department to report (also those without usage). */
  departmentCodes: ReadonlyMap<number, string>;
  /** Decimals of the result's currency (its ISO 4217 minor unit); 2 unless given. */
  places?: number;
};

/** "adjustment": a change to a closed month, carried into this one (lib/allocation/close.ts); never made here. */
export type LineKind = "direct" | "allocated" | "unallocated" | "adjustment";
export type UnallocatedReason = "unassigned" | "no_rule" | "no_driver";

export type AllocationLine = {
  agentId: number;
  kind: LineKind;
  ruleId: number | null;
  reason: UnallocatedReason | null;
  /** Percent of the agent's cost (under this rule) that this line carries; null for direct/unallocated. */
  sharePercent: Decimal | null;
  /** The department's own usage of the agent (for unallocated lines: the usage left unallocated). */
  events: Decimal;
  quantity: Decimal;
  amount: Decimal;
  /** Adjustment lines: the closed month (YYYY-MM) whose figures changed. */
  adjusts?: string;
};

/** total = direct + allocated + adjustments; `exact`: direct + allocated before rounding (what figures derived from several periods, like the forecast, start from). */
export type DepartmentAllocation = { departmentId: number; direct: Decimal; allocated: Decimal; adjustments: Decimal; total: Decimal; exact: Decimal; lines: AllocationLine[] };

export type AllocationResult = {
  total: Decimal;
  unallocated: Decimal;
  unallocatedLines: AllocationLine[];
  departments: Map<number, DepartmentAllocation>;
};

type Usage = { cost: Decimal; events: Decimal; tasks: Decimal; quantity: Decimal };
const UNALLOCATED = -1;

class LineBook {
  readonly entries = new Map<string, { departmentId: number; line: AllocationLine }>();

  add(departmentId: number, line: Omit<AllocationLine, "amount" | "events" | "quantity">, amount: Decimal, usage: { events: Decimal; quantity: Decimal }) {
    const key = `${departmentId}|${line.agentId}|${line.kind}|${line.ruleId}|${line.reason}`;
    const existing = this.entries.get(key)?.line;
    if (existing) {
      existing.amount = existing.amount.plus(amount);
      existing.events = existing.events.plus(usage.events);
      existing.quantity = existing.quantity.plus(usage.quantity);
    } else {
      this.entries.set(key, { departmentId, line: { ...line, amount, events: usage.events, quantity: usage.quantity } });
    }
  }
}

function addUsage(map: Map<number, Usage>, id: number, row: Usage) {
  const u = map.get(id);
  map.set(id, u ? { cost: u.cost.plus(row.cost), events: u.events.plus(row.events), tasks: u.tasks.plus(row.tasks), quantity: u.quantity.plus(row.quantity) } : { ...row });
}

const NO_USAGE = { events: ZERO, quantity: ZERO };

/** Splits one shared agent's cost under one rule; `byDepartment` is its usage per booked department. */
function allocateSegment(book: LineBook, rule: Rule, byDepartment: Map<number, Usage>) {
  const cost = sum([...byDepartment.values()].map((u) => u.cost));
  const usageOf = (id: number) => byDepartment.get(id) ?? { ...NO_USAGE };
  let weights: { departmentId: number; weight: Decimal }[];
  if (rule.method === "fixed") {
    weights = rule.shares.map((s) => ({ departmentId: s.departmentId, weight: s.percent ?? ZERO }));
  } else if (rule.method === "even") {
    weights = rule.shares.map((s) => ({ departmentId: s.departmentId, weight: new Decimal(1) }));
  } else {
    const driver = rule.driver ?? "events";
    const listed = rule.shares.map((s) => s.departmentId);
    const participants = listed.length ? listed : [...byDepartment.keys()].filter((id) => id !== 0).sort((a, b) => a - b);
    weights = participants.map((id) => ({ departmentId: id, weight: byDepartment.get(id)?.[driver] ?? ZERO }));
  }
  const totalWeight = sum(weights.map((w) => w.weight));
  if (totalWeight.isZero()) {
    const all = [...byDepartment.values()];
    book.add(UNALLOCATED, { agentId: rule.agentId, kind: "unallocated", ruleId: rule.id, reason: "no_driver", sharePercent: null }, cost, {
      events: sum(all.map((u) => u.events)),
      quantity: sum(all.map((u) => u.quantity)),
    });
    return;
  }
  // The last participant takes cost − Σ others so the split is exact even where division is not.
  let given = ZERO;
  weights.forEach((w, i) => {
    const amount = i === weights.length - 1 ? cost.minus(given) : cost.times(w.weight).div(totalWeight);
    given = given.plus(amount);
    const sharePercent = w.weight.div(totalWeight).times(100);
    book.add(w.departmentId, { agentId: rule.agentId, kind: "allocated", ruleId: rule.id, reason: null, sharePercent }, amount, usageOf(w.departmentId));
  });
}

function tieKey(code: string | undefined, id: number) {
  return code ?? `#${String(id).padStart(10, "0")}`;
}

export function allocate(input: AllocationInput): AllocationResult {
  const book = new LineBook();
  const segments = new Map<string, { rule: Rule; byDepartment: Map<number, Usage> }>();
  for (const row of input.rows) {
    if (!input.sharedAgentIds.has(row.agentId)) {
      const unassigned = row.departmentId === 0;
      book.add(
        unassigned ? UNALLOCATED : row.departmentId,
        { agentId: row.agentId, kind: unassigned ? "unallocated" : "direct", ruleId: null, reason: unassigned ? "unassigned" : null, sharePercent: null },
        row.cost,
        row,
      );
      continue;
    }
    const rule = ruleOn(input.rules, row.agentId, row.day);
    if (!rule) {
      book.add(UNALLOCATED, { agentId: row.agentId, kind: "unallocated", ruleId: null, reason: "no_rule", sharePercent: null }, row.cost, row);
      continue;
    }
    const segmentKey = `${row.agentId}|${rule.id}`;
    const segment = segments.get(segmentKey) ?? { rule, byDepartment: new Map<number, Usage>() };
    segments.set(segmentKey, segment);
    addUsage(segment.byDepartment, row.departmentId, row);
  }
  for (const { rule, byDepartment } of segments.values()) allocateSegment(book, rule, byDepartment);

  return settle([...book.entries.values()], input.departmentCodes, input.places);
}

/** An exact line before rounding, with its department (-1: unallocated). */
export type ExactEntry = { departmentId: number; line: AllocationLine };

/**
 * The one rounding: the total of exact `entries` rounded half-even to `places` decimals (cents by default), split by
 * largest remainder over each department's direct and allocated amounts and unallocated, then each of those over
 * its lines. Also how a frozen month is re-rounded in a display currency (lib/allocation/display.ts).
 */
export function settle(entries: readonly ExactEntry[], departmentCodes: ReadonlyMap<number, string>, places = 2): AllocationResult {
  const departmentIds = new Set<number>([...departmentCodes.keys(), ...entries.map((e) => e.departmentId).filter((id) => id !== UNALLOCATED)]);
  const ids = [...departmentIds].sort((a, b) => a - b);
  const linesOf = (departmentId: number, kind: LineKind) => entries.filter((e) => e.departmentId === departmentId && e.line.kind === kind).map((e) => e.line);
  const exactOf = (departmentId: number, kind: LineKind) => sum(linesOf(departmentId, kind).map((l) => l.amount));

  const parts: Part[] = [];
  for (const id of ids) {
    const code = tieKey(departmentCodes.get(id), id);
    parts.push({ tieKey: `${code}\u00001`, exact: exactOf(id, "direct") }, { tieKey: `${code}\u00002`, exact: exactOf(id, "allocated") });
  }
  parts.push({ tieKey: "\uffff", exact: exactOf(UNALLOCATED, "unallocated") });
  const total = roundCents(sum(entries.map((e) => e.line.amount)), places);
  const rounded = apportion(parts, total, places);

  /** Rounds a group of lines to the group's already-rounded amount; ties by agent id, then rule id. */
  const roundLines = (group: AllocationLine[], target: Decimal): AllocationLine[] => {
    const sorted = [...group].sort((a, b) => a.agentId - b.agentId || (a.ruleId ?? 0) - (b.ruleId ?? 0) || String(a.reason).localeCompare(String(b.reason)));
    const amounts = apportion(sorted.map((l, i) => ({ tieKey: String(i).padStart(10, "0"), exact: l.amount })), target, places);
    return sorted.map((line, i) => ({ ...line, amount: amounts[i]! }));
  };

  const departments = new Map<number, DepartmentAllocation>();
  ids.forEach((id, i) => {
    const direct = rounded[2 * i]!;
    const allocated = rounded[2 * i + 1]!;
    departments.set(id, {
      departmentId: id,
      direct,
      allocated,
      adjustments: ZERO,
      total: direct.plus(allocated),
      exact: exactOf(id, "direct").plus(exactOf(id, "allocated")),
      lines: [
        ...roundLines(linesOf(id, "direct"), direct),
        ...roundLines(linesOf(id, "allocated"), allocated),
      ],
    });
  });
  const unallocated = rounded[rounded.length - 1]!;
  return { total, unallocated, unallocatedLines: roundLines(linesOf(UNALLOCATED, "unallocated"), unallocated), departments };
}
