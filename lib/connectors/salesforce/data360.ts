// Data 360 Query API over Connect REST: POST /ssot/query-sql submits the SQL, GET /ssot/query-sql/{queryId}
// is polled until the results can be read (Finished or ResultsProduced), GET /ssot/query-sql/{queryId}/rows pages
// through them by offset. Response shapes: ConnectApi.QuerySqlOutput, QuerySqlStatus and QuerySqlPageOutput
// (Salesforce Apex reference, v62.0+). Authentication, the one re-authentication on 401, and the retries on 5xx,
// 429 and REQUEST_LIMIT_EXCEEDED are SalesforceClient.request's.
// Orgs that require it are read through the older Query API V2 on the Data 360 tenant instead: `POST
// https://{tenant}/api/v2/query` {sql} → { data, metadata: { column: { placeInOrder, type } }, rowCount, done,
// nextBatchId }, then `GET /api/v2/query/{nextBatchId}` until done, with the token from the Data 360 token exchange
// (SalesforceClient.tenantRequest).
import "server-only";
import { SalesforceError, type SalesforceClient } from "./client";

type Column = { name: string; type?: string };
type Status = { queryId: string; completionStatus: string; rowCount?: number };
type Output = { data?: unknown[][]; metadata?: Column[]; returnedRows?: number; status?: Status };

export type Row = Record<string, unknown>;
export type QueryOptions = { pageSize: number; pollMs: number; maxWaitMs: number };
export const DEFAULT_QUERY: QueryOptions = { pageSize: 1_000, pollMs: 1_000, maxWaitMs: 10 * 60_000 };

/** Both spellings seen: the Apex enum (Finished, ResultsProduced) and the v3 API's (FINISHED, RESULTS_PRODUCED). */
const ready = (status: string) => ["finished", "resultsproduced"].includes(status.toLowerCase().replace(/_/g, ""));

function rowsOf(columns: Column[] | undefined, data: unknown[][] | undefined): Row[] {
  if (!data?.length) return [];
  if (!columns?.length) throw new SalesforceError("Data 360 returned rows without column metadata");
  return data.map((values) => Object.fromEntries(columns.map((c, i) => [c.name, values[i] ?? null])));
}

/** SQL identifier, double-quoted so the org's exact spelling is kept; names come from the org's own describe. */
export function ident(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new SalesforceError(`not a Data 360 name: ${name}`);
  return `"${name}"`;
}

export const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

type V2Page = { data?: unknown[][]; metadata?: Record<string, { placeInOrder?: number }>; done?: boolean; nextBatchId?: string | null };

async function* queryV2(client: SalesforceClient, sql: string): AsyncGenerator<{ rows: Row[]; done: boolean }> {
  let page = await client.tenantRequest<V2Page>("POST", "/api/v2/query", { sql });
  let columns: Column[] | undefined;
  for (;;) {
    if (page.metadata && Object.keys(page.metadata).length) columns = Object.entries(page.metadata).sort((a, b) => (a[1].placeInOrder ?? 0) - (b[1].placeInOrder ?? 0)).map(([name]) => ({ name }));
    const done = page.done !== false || !page.nextBatchId;
    yield { rows: rowsOf(columns, page.data), done };
    if (done) return;
    if (!/^[A-Za-z0-9_.=:-]+$/.test(page.nextBatchId!)) throw new SalesforceError("Data 360 returned an unusable batch id");
    page = await client.tenantRequest<V2Page>("GET", `/api/v2/query/${encodeURIComponent(page.nextBatchId!)}`);
  }
}

/** Runs one query and yields its rows page by page; `done` marks the last page. */
export async function* querySql(client: SalesforceClient, sql: string, options: QueryOptions = DEFAULT_QUERY): AsyncGenerator<{ rows: Row[]; done: boolean }> {
  if (client.queryApi === "v2") {
    yield* queryV2(client, sql);
    return;
  }
  const base = client.data("/ssot/query-sql");
  const first = await client.request<Output>("POST", base, { sql });
  let status = first.status;
  if (!status || typeof status.queryId !== "string" || !/^[A-Za-z0-9_.=-]+$/.test(status.queryId)) throw new SalesforceError("Data 360 query returned no query id");
  const path = `${base}/${encodeURIComponent(status.queryId)}`;
  const deadline = Date.now() + options.maxWaitMs;
  while (!ready(status.completionStatus)) {
    if (Date.now() > deadline) throw new SalesforceError(`Data 360 query still ${status.completionStatus} after ${Math.round(options.maxWaitMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, options.pollMs));
    const polled = await client.request<Status | { status: Status }>("GET", path);
    status = "status" in polled ? polled.status : polled;
  }
  let columns = first.metadata;
  const total = status.rowCount ?? 0;
  // A query that finished at once may carry its first rows inline.
  const inline = ready(first.status!.completionStatus) ? rowsOf(columns, first.data) : [];
  let offset = inline.length;
  if (inline.length || total === 0) yield { rows: inline, done: offset >= total };
  while (offset < total) {
    const page = await client.request<Output>("GET", `${path}/rows?offset=${offset}&rowLimit=${options.pageSize}`);
    columns = page.metadata?.length ? page.metadata : columns;
    const rows = rowsOf(columns, page.data);
    if (!rows.length) throw new SalesforceError(`Data 360 returned no rows at offset ${offset} of ${total}`);
    offset += rows.length;
    yield { rows, done: offset >= total };
  }
}
