// Maintaining the FX rate table: list (paged), upsert a batch (PUT), import a file (preview or apply). Every write
// is all or nothing, audited in the same transaction, and leaves a stored rate untouched when the value is the same.
import "server-only";
import { audit } from "@/lib/audit";
import { BadRequestError } from "@/lib/api/errors";
import { callerLabel, type Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { insertRecomputeRun } from "@/lib/recompute/runs";
import { Prisma } from "@/lib/generated/prisma/client";
import { parseFxFile, type FxFileFormat, type ParsedRate } from "./files";
import { MAX_AGE_DAYS } from "./select";
import type { FxImportResponse, FxRateResponse, FxUpsertResponse, fxRateListQuery } from "./schemas";
import type { z } from "zod";

type Source = FxRateResponse["source"];
type Tx = Prisma.TransactionClient;
type Change = FxUpsertResponse["changes"][number];
type Row = ParsedRate & { source: Source };

/** Rows per statement: keeps each statement well inside the request statement timeout on a full ECB history. */
const CHUNK = 10_000;
/** Changes listed in a response and kept in the audit entry (the counts are always complete). */
const LISTED_CHANGES = 100;
const AUDITED_CHANGES = 1000;

const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/**
 * The events new or changed rates can convert, as a recompute run (kind fx): a rate dated R serves the days R to
 * R + 7 (MAX_AGE_DAYS), and a local day lies within a day of the same UTC date either way.
 */
async function conversionRun(tx: Tx, caller: Caller, written: readonly ParsedRate[]): Promise<number> {
  const dates = written.map((r) => r.date).sort();
  const from = new Date(asDate(dates[0]!).getTime() - DAY_MS);
  const to = new Date(asDate(dates.at(-1)!).getTime() + (MAX_AGE_DAYS + 2) * DAY_MS);
  const reason = `FX rates written: ${written.length} from ${dates[0]} to ${dates.at(-1)}`;
  return (await insertRecomputeRun(tx, caller, { kind: "fx", from, to, predicate: {}, reason })).id;
}

export async function listFxRates(query: z.output<typeof fxRateListQuery>) {
  const [cDate, cBase, cQuote] = query.cursor?.split("~") ?? [];
  const where: Prisma.FxRateWhereInput = {
    ...(query.base ? { base: query.base } : {}),
    ...(query.quote ? { quote: query.quote } : {}),
    ...(query.from || query.to ? { date: { gte: query.from ? asDate(query.from) : undefined, lte: query.to ? asDate(query.to) : undefined } } : {}),
    // Keyset: after the cursor in (date desc, base, quote) order.
    ...(cDate && cBase && cQuote
      ? { OR: [{ date: { lt: asDate(cDate) } }, { date: asDate(cDate), OR: [{ base: { gt: cBase } }, { base: cBase, quote: { gt: cQuote } }] }] }
      : {}),
  };
  const rows = await db.fxRate.findMany({ where, orderBy: [{ date: "desc" }, { base: "asc" }, { quote: "asc" }], take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r): FxRateResponse => ({ id: r.id, base: r.base, quote: r.quote, date: dayOf(r.date), rate: r.rate.toString(), source: r.source as Source, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() })),
    nextCursor: rows.length > query.limit && last ? `${dayOf(last.date)}~${last.base}~${last.quote}` : null,
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

const columns = (rows: readonly ParsedRate[]) => [rows.map((r) => r.base), rows.map((r) => r.quote), rows.map((r) => r.date), rows.map((r) => r.rate)];

const keyOf = (r: ParsedRate) => `${r.base}${r.quote}${r.date}`;

/** What writing `rates` would do: new pairs and days, changed values (with the stored one), and the same values. */
async function diff(client: Pick<Tx, "$queryRaw">, rates: readonly ParsedRate[], same?: Set<string>) {
  const changes: Change[] = [];
  let existing = 0;
  for (const part of chunks(rates)) {
    const [bases, quotes, dates, values] = columns(part);
    const found = await client.$queryRaw<{ ord: bigint; previous: string; same: boolean }[]>(Prisma.sql`
      SELECT i.ord, f.rate::text AS previous, f.rate = i.rate AS same
      FROM unnest(${bases}::char(3)[], ${quotes}::char(3)[], ${dates}::date[], ${values}::numeric[]) WITH ORDINALITY AS i(base, quote, date, rate, ord)
      JOIN fx_rates f ON f.base = i.base AND f.quote = i.quote AND f.date = i.date`);
    existing += found.length;
    for (const f of found) {
      const r = part[Number(f.ord) - 1]!;
      if (f.same) {
        same?.add(keyOf(r));
        continue;
      }
      changes.push({ base: r.base, quote: r.quote, date: r.date, rate: r.rate, previous: f.previous.replace(/\.?0+$/, "") });
    }
  }
  return { created: rates.length - existing, updated: changes.length, unchanged: existing - changes.length, changes };
}

async function write(tx: Tx, rates: readonly Row[], createdBy: string) {
  for (const part of chunks(rates)) {
    const [bases, quotes, dates, values] = columns(part);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO fx_rates (base, quote, date, rate, source, created_by)
      SELECT base, quote, date, rate, source, ${createdBy}
      FROM unnest(${bases}::char(3)[], ${quotes}::char(3)[], ${dates}::date[], ${values}::numeric[], ${part.map((r) => r.source)}::text[]) AS i(base, quote, date, rate, source)
      ON CONFLICT (base, quote, date) DO UPDATE
        SET rate = EXCLUDED.rate, source = EXCLUDED.source, created_by = EXCLUDED.created_by, created_at = now()
        WHERE fx_rates.rate <> EXCLUDED.rate`);
  }
}

function summary(rates: readonly ParsedRate[]) {
  const dates = rates.map((r) => r.date).sort();
  return { from: dates[0] ?? null, to: dates.at(-1) ?? null, currencies: [...new Set(rates.flatMap((r) => [r.base, r.quote]))].sort() };
}

/**
 * Writes the rates, all or none, under one lock (so the audited "previous" values are the ones replaced), with one
 * audit entry: counts, the span, and the replaced values.
 */
async function upsert(caller: Caller, rates: readonly Row[], action: string, extra: Record<string, unknown>) {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('fx_rates'))`;
      const same = new Set<string>();
      const result = await diff(tx, rates, same);
      await write(tx, rates, callerLabel(caller));
      // New and changed rates (not the unchanged ones) convert the events they cover, started in the same commit.
      const written = rates.filter((r) => !same.has(keyOf(r)));
      const conversionRunId = written.length ? await conversionRun(tx, caller, written) : null;
      const audited = result.changes.slice(0, AUDITED_CHANGES);
      await audit(tx, {
        actor: caller,
        action,
        entity: "fx_rate",
        before: audited.length ? audited.map(({ base, quote, date, previous }) => ({ base, quote, date, rate: previous })) : undefined,
        after: { ...extra, sources: [...new Set(rates.map((r) => r.source))], ...summary(rates), created: result.created, updated: result.updated, unchanged: result.unchanged, conversionRunId, changes: audited.map(({ base, quote, date, rate }) => ({ base, quote, date, rate })) },
      });
      return { ...result, conversionRunId };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

export async function putFxRates(caller: Caller, input: { rates: Row[] }): Promise<FxUpsertResponse> {
  const result = await upsert(caller, input.rates, "fx_rate.upsert", {});
  return { ...result, changes: result.changes.slice(0, LISTED_CHANGES) };
}

/** Parses the file; `preview` says what applying it would do, `apply` writes it. Any problem: 400, nothing written. */
export async function importFxFile(caller: Caller, format: FxFileFormat, mode: "preview" | "apply", text: string): Promise<FxImportResponse> {
  const parsed = parseFxFile(format, text);
  if (parsed.problems.length) throw new BadRequestError("Invalid FX rate file: nothing was imported", parsed.problems);
  const source: Source = format === "csv" ? "csv" : "ecb";
  const result = mode === "apply" ? await upsert(caller, parsed.rates.map((r) => ({ ...r, source })), "fx_rate.import", { format }) : { ...(await diff(db, parsed.rates)), conversionRunId: null };
  return { mode, format, rates: parsed.rates.length, ...summary(parsed.rates), skippedCurrencies: parsed.skippedCurrencies, ...result, changes: result.changes.slice(0, LISTED_CHANGES) };
}
