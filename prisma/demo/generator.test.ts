import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MODEL_PRICES } from "../../lib/pricing/model-prices";
import { AGENTS, ALLOCATIONS, CUSTOMERS, DEPARTMENTS } from "./catalog";
import { EVENT_COLUMNS, emptyStats, generateEventChunks, type GeneratorInput } from "./events";
import { demoWindow, distribute, hourSlots } from "./time";

const ids = (keys: readonly string[]) => Object.fromEntries(keys.map((k, i) => [k, i + 1]));

function input(events: number, seed = 42): GeneratorInput {
  return {
    seed,
    events,
    window: demoWindow("2026-11-26", 30, "America/New_York"),
    timeZone: "America/New_York",
    agentIds: ids(AGENTS.map((a) => a.key)),
    departmentIds: ids(DEPARTMENTS.map((d) => d.code)),
    customerIds: ids(CUSTOMERS.map((c) => c.key)),
    prices: MODEL_PRICES.map((p, i) => ({
      ...p,
      id: i + 1,
      effectiveFromMs: Date.parse(p.effectiveFrom),
      effectiveToMs: p.effectiveTo ? Date.parse(p.effectiveTo) : null,
    })),
  };
}

function generate(events: number, seed = 42) {
  const stats = emptyStats();
  const text = [...generateEventChunks(input(events, seed), stats)].join("");
  return { stats, text, rows: text.trimEnd().split("\n").map((l) => l.split("\t")) };
}

describe("demo event generator", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const hash = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(hash(generate(5_000).text)).toBe(hash(generate(5_000).text));
    expect(hash(generate(5_000, 7).text)).not.toBe(hash(generate(5_000).text));
  });

  it("emits exactly N well-formed rows inside the window, in time order, with unique keys", () => {
    const { rows, stats } = generate(20_000);
    const window = input(0).window;
    expect(rows).toHaveLength(20_000);
    expect(stats.events).toBe(20_000);
    const col = (name: (typeof EVENT_COLUMNS)[number]) => EVENT_COLUMNS.indexOf(name);
    // Plain checks in the loop (expect() per row is slow); one assertion on the collected problems.
    const problems: string[] = [];
    let previous = 0;
    for (const row of rows) {
      const ts = Date.parse(row[col("timestamp")]!);
      if (row.length !== EVENT_COLUMNS.length) problems.push(`columns: ${row.join(" ")}`);
      if (ts < Math.max(previous, window.startMs) || ts >= window.endMs) problems.push(`time: ${row[col("timestamp")]}`);
      previous = ts;
      JSON.parse(row[col("properties")]!);
      // cost = reported if present, else computed, else 0
      const reported = row[col("reported_cost")]!;
      const computed = row[col("computed_cost")]!;
      const expected = reported !== "\\N" ? reported : computed !== "\\N" ? computed : "0.0000000000";
      if (row[col("cost")] !== expected) problems.push(`cost: ${row.join(" ")}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(new Set(rows.map((r) => r[col("event_key")])).size).toBe(rows.length);
    const typeShare = (t: string) => rows.filter((r) => r[col("type")] === t).length / rows.length;
    expect(typeShare("llm.call")).toBeGreaterThan(0.25);
    expect(typeShare("task.completed")).toBeGreaterThan(0.1);
    const reportedShare = stats.reportedCostEvents / stats.events;
    expect(reportedShare).toBeGreaterThan(0.12);
    expect(reportedShare).toBeLessThan(0.28);
  });

  it("keeps shared agents' events within their allocation departments", () => {
    const { rows } = generate(10_000);
    const agentIds = ids(AGENTS.map((a) => a.key));
    const departmentIds = ids(DEPARTMENTS.map((d) => d.code));
    for (const rule of ALLOCATIONS) {
      const allowed = new Set(Object.keys(rule.shares).map((c) => String(departmentIds[c])));
      const own = rows.filter((r) => r[EVENT_COLUMNS.indexOf("agent_id")] === String(agentIds[rule.agent]));
      expect(own.length).toBeGreaterThan(0);
      for (const r of own) expect(allowed.has(r[EVENT_COLUMNS.indexOf("department_id")]!)).toBe(true);
    }
  });
});

describe("distribute", () => {
  it("splits a total exactly over the hour slots", () => {
    const window = demoWindow("2026-03-10", 14, "America/New_York"); // spans the DST switch
    const slots = hourSlots(window, "America/New_York", () => 1);
    expect(slots).toHaveLength(14 * 24 - 1);
    for (const total of [0, 1, 999, 123_457]) expect(distribute(total, slots).reduce((a, b) => a + b, 0)).toBe(total);
  });
});

