// The production server (scripts/serve.mjs) answers POST /api/v1/budget-checks itself, without Next's router
// (lib/api/fast-routes.ts). Each request here is sent over real HTTP to it and, with the same headers and body, to
// the route's Next handler in this process (withRoute, NextRequest → Response): status, error body and answer must
// be the same (cacheAgeMs aside, as the two processes' caches have different ages).
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/budget-checks/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { startAppServer, type AppServer } from "@/tests/helpers/app-server";

let app: AppServer;
const keys: Record<"check" | "ingest" | "read" | "limited" | "revoked", string> = { check: "", ingest: "", read: "", limited: "", revoked: "" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Fast Org', 'EUR', 'Europe/Berlin', now())");
  await pool.query("INSERT INTO departments (id, code, name, updated_at) VALUES (1, 'RND', 'R&D', now())");
  await pool.query("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('coder', 'Coder', 1, now())");
  await pool.query(`INSERT INTO budget_limits (scope, agent_id, period, soft, hard, fail_mode, updated_at)
    SELECT 'agent', id, 'day', 5, 10, 'closed', now() FROM agents WHERE key = 'coder'`);
  for (const [name, scopes] of [["check", ["check"]], ["ingest", ["ingest"]], ["read", ["read"]], ["revoked", ["check"]]] as const) {
    keys[name] = (await createApiKey({ name, scopes: [...scopes], source: name, rateLimitPerMinute: 100_000 })).secret;
  }
  keys.limited = (await createApiKey({ name: "limited", scopes: ["check"], source: "limited", rateLimitPerMinute: 2 })).secret;
  app = await startAppServer({ databaseUrl: env().DATABASE_URL });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

type Sent = { key?: string; authorization?: string; contentType?: string; body?: string };
type Answer = { status: number; contentType: string | null; retryAfter: boolean; body: unknown };

const headersOf = (s: Sent): Record<string, string> => ({
  "x-request-id": "fast-path-test",
  ...(s.contentType !== "" ? { "content-type": s.contentType ?? "application/json" } : {}),
  ...(s.authorization ? { authorization: s.authorization } : s.key ? { authorization: `Bearer ${s.key}` } : {}),
});

async function answer(res: Response): Promise<Answer> {
  expect(res.headers.get("x-request-id")).toBe("fast-path-test");
  const body = (await res.json()) as Record<string, unknown>;
  delete body.cacheAgeMs;
  return { status: res.status, contentType: res.headers.get("content-type"), retryAfter: res.headers.has("retry-after"), body };
}

const overHttp = async (s: Sent) => answer(await fetch(`${app.baseUrl}/api/v1/budget-checks`, { method: "POST", headers: headersOf(s), body: s.body ?? "" }));
const inNext = async (s: Sent) =>
  answer(
    await POST(
      // Content-Length as an HTTP client sends it (a Request built here has none).
      new NextRequest("http://127.0.0.1/api/v1/budget-checks", { method: "POST", headers: { ...headersOf(s), "content-length": String(Buffer.byteLength(s.body ?? "")) }, body: s.body ?? "" }),
      { params: Promise.resolve({}) },
    ),
  );

async function same(s: Sent): Promise<Answer> {
  const [fast, next] = [await overHttp(s), await inNext(s)];
  expect(fast).toEqual(next);
  return fast;
}

const coder = (extra: object = {}) => JSON.stringify({ agent: "coder", ...extra });

describe("POST /api/v1/budget-checks on the fast path answers as the Next route does", () => {
  it("is served by the fast path, not Next's router", async () => {
    await overHttp({ key: keys.check, body: coder() }); // the server's warm-up request has loaded the route anyway
    const res = await fetch(`${app.baseUrl}/api/v1/budget-checks`, { method: "POST", headers: headersOf({ key: keys.check }), body: coder() });
    // Next's responses carry its Vary header (RSC, router state); the fast path writes only the route's own headers.
    expect(res.headers.get("vary")).toBeNull();
    expect((await fetch(`${app.baseUrl}/api/v1/budget-limits`, { headers: headersOf({ key: keys.check }) })).headers.get("vary")).not.toBeNull();
  });

  it("authentication and scopes: 401 without or with an unknown key, 403 for a key without check or ingest", async () => {
    expect((await same({ body: coder() })).status).toBe(401);
    expect((await same({ authorization: "Bearer al_nope_0000000000", body: coder() })).status).toBe(401);
    expect((await same({ authorization: "Basic abc", body: coder() })).status).toBe(401);
    const read = await same({ key: keys.read, body: coder() });
    expect(read).toMatchObject({ status: 403, body: { error: { code: "forbidden", message: "This API key lacks the 'check' scope" } } });
    expect((await same({ key: keys.ingest, body: coder() })).status).toBe(200);
  });

  it("bad input: 400 naming the field, a wrong content type or broken JSON", async () => {
    const cases: [Sent, string][] = [
      [{ key: keys.check, body: "{}" }, "agent"],
      [{ key: keys.check, body: coder({ estimatedCost: { amount: "abc", currency: "EUR" } }) }, "estimatedCost.amount"],
      [{ key: keys.check, body: coder({ department: "NOPE" }) }, "department"],
      [{ key: keys.check, body: coder({ estimatedCost: { amount: "1", currency: "USD" } }) }, "estimatedCost.currency"],
      [{ key: keys.check, body: coder({ extra: 1 }) }, "(root)"],
      [{ key: keys.check, body: "{not json" }, "not valid JSON"],
      [{ key: keys.check, contentType: "text/plain", body: coder() }, "Content-Type"],
      [{ key: keys.check, contentType: "", body: coder() }, "Content-Type"],
    ];
    for (const [sent, mention] of cases) {
      const a = await same(sent);
      expect(a.status).toBe(400);
      expect(JSON.stringify(a.body)).toContain(mention);
    }
  });

  it("a body over BODY_LIMIT_JSON_BYTES is a 413 before authentication", async () => {
    const big = JSON.stringify({ agent: "coder", pad: "x".repeat(env().BODY_LIMIT_JSON_BYTES) });
    for (const sent of [{ key: keys.check, body: big }, { body: big }]) {
      expect(await same(sent)).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
    }
  });

  it("ok, soft and hard answers, with the limit that decided", async () => {
    expect(await same({ key: keys.check, body: coder() })).toMatchObject({ status: 200, contentType: "application/json", body: { allowed: true, level: "ok", remaining: "10.00", limit: { scope: "agent", target: "coder", period: "day" } } });
    expect(await same({ key: keys.check, body: coder({ estimatedCost: { amount: "6.00", currency: "EUR" } }) })).toMatchObject({ body: { allowed: true, level: "soft" } });
    expect(await same({ key: keys.check, body: coder({ estimatedCost: { amount: "10.01", currency: "eur" } }) })).toMatchObject({ body: { allowed: false, level: "hard", remaining: "10.00" } });
    // Recorded after the answer (both processes try; the alert's unique key lets one through): once each.
    const crossings = () => db.auditLog.findMany({ where: { entity: "budget_limit" }, orderBy: { action: "asc" } });
    for (let i = 0; i < 100 && (await crossings()).length < 2; i++) await sleep(20);
    expect((await crossings()).map((a) => a.action)).toEqual(["budget.deny", "budget.soft_crossed"]);
  });

  it("rate limiting: past the key's per-minute limit a 429 with Retry-After", async () => {
    const fast = [await overHttp({ key: keys.limited, body: coder() }), await overHttp({ key: keys.limited, body: coder() }), await overHttp({ key: keys.limited, body: coder() })];
    const next = [await inNext({ key: keys.limited, body: coder() }), await inNext({ key: keys.limited, body: coder() }), await inNext({ key: keys.limited, body: coder() })];
    expect(fast.map((a) => a.status)).toEqual([200, 200, 429]);
    // The same, but the message's retry-after seconds may differ by one between the two processes' windows.
    const shape = (a: Answer) => [a.status, a.retryAfter, (a.body as { error?: { code: string } }).error?.code ?? (a.body as { level: string }).level];
    expect(fast.map(shape)).toEqual(next.map(shape));
    expect(fast[2]).toMatchObject({ retryAfter: true, body: { error: { code: "rate_limited" } } });
  });

  it("a revoked key is refused as soon as the revocation's NOTIFY arrives (the key lookup is cached)", async () => {
    expect((await same({ key: keys.revoked, body: coder() })).status).toBe(200);
    await pool.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'revoked'");
    const deadline = Date.now() + 2_000;
    while ((await overHttp({ key: keys.revoked, body: coder() })).status === 200 && Date.now() < deadline) await sleep(10);
    expect((await same({ key: keys.revoked, body: coder() })).status).toBe(401);
  });
});
