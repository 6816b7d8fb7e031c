// Authorization matrix over real HTTP: every route handler method and every page on disk must have an entry
// in tests/authorization/matrix.ts, and every entry must match what each caller actually gets. No response or
// page a department-scoped user gets may mention another department's data: its marker or its totals.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { responseProblem } from "./helpers/openapi-responses";
import { callerHeaders, emails, LEAK_AMOUNTS, LEAK_MARKER, PASSWORD, seedFixture, type CallerHeaders } from "./authorization/fixture";
import { apiMatrix, callers, pageMatrix, type ApiEntry, type PageOutcome } from "./authorization/matrix";

const appDir = path.resolve(__dirname, "../app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** app/(dashboard)/admin/users/page.tsx → /admin/users; route groups do not appear in URLs. */
function urlPattern(file: string): string {
  const segments = path.relative(appDir, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return "/" + segments.join("/");
}

/** Methods a route file exports: `export const GET`, `export async function GET`, `export { handler as GET }`. */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Z]+)\b/g)) found.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) for (const n of m[1]!.matchAll(/\bas\s+([A-Z]+)\b/g)) found.add(n[1]!);
  return [...found].filter((m) => (METHODS as readonly string[]).includes(m));
}

const files = walk(appDir);
const routesOnDisk = files
  .filter((f) => path.basename(f) === "route.ts")
  .flatMap((f) => exportedMethods(fs.readFileSync(f, "utf8")).map((m) => `${m} ${urlPattern(f)}`))
  .sort();
const pagesOnDisk = files.filter((f) => path.basename(f) === "page.tsx").map(urlPattern).sort();

describe("every route and page is in the matrix", () => {
  test("route handler methods", () => {
    expect(routesOnDisk.filter((k) => !(k in apiMatrix)), "routes without a matrix entry").toEqual([]);
    expect(Object.keys(apiMatrix).filter((k) => !routesOnDisk.includes(k)), "matrix entries for routes that no longer exist").toEqual([]);
  });
  test("pages", () => {
    expect(pagesOnDisk.filter((k) => !(k in pageMatrix)), "pages without a matrix entry").toEqual([]);
    expect(Object.keys(pageMatrix).filter((k) => !pagesOnDisk.includes(k)), "matrix entries for pages that no longer exist").toEqual([]);
  });
});

let app: AppServer;
let headers: CallerHeaders;

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  app = await startAppServer({ databaseUrl });
  headers = await callerHeaders(app.baseUrl);
});

afterAll(async () => {
  await app?.stop();
});

async function call(method: string, entry: ApiEntry, caller: (typeof callers)[number]) {
  const res = await fetch(app.baseUrl + entry.path, {
    method,
    redirect: "manual",
    headers: { ...headers[caller], ...(method === "GET" ? {} : { "content-type": "application/json" }) },
    body: method === "GET" ? undefined : JSON.stringify(entry.body ?? {}),
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
}

const scopedCallers: readonly string[] = ["scoped", "scopedFinance"];

/** Another department's marker (its codes, names, keys, models, types, properties) or its totals. */
function expectNoLeak(text: string, where: string) {
  expect(text.toLowerCase(), `${where} mentions another department`).not.toContain(LEAK_MARKER);
  for (const amount of LEAK_AMOUNTS) expect(text, `${where} shows another department's amount ${amount}`).not.toContain(amount);
}

const apiCases = Object.entries(apiMatrix).flatMap(([key, entries]) => entries.map((entry) => ({ key, method: key.split(" ")[0]!, entry })));

async function checkApi({ method, entry }: (typeof apiCases)[number]) {
  const results = await Promise.all(callers.map(async (c) => [c, await call(method, entry, c)] as const));
  const mismatches = results
    .filter(([c, r]) => r.status !== entry.expect[c])
    .map(([c, r]) => `${c}: got ${r.status}, expected ${entry.expect[c]} — ${r.text.slice(0, 160)}`);
  expect(mismatches).toEqual([]);
  // Every answer, success or error, is what the OpenAPI document declares for it.
  const undeclared = results.map(([c, r]) => [c, responseProblem(method, entry.path, r.status, r.contentType, r.text)] as const).filter(([, p]) => p);
  expect(undeclared.map(([c, p]) => `${c}: ${p}`)).toEqual([]);
  for (const [caller, r] of results) if (scopedCallers.includes(caller) && r.status < 300) expectNoLeak(r.text, `${caller}: ${method} ${entry.path}`);
  if (entry.probe) {
    // Otherwise the leak check above would pass vacuously.
    expect(results.find(([c]) => c === "admin")![1].text.toLowerCase()).toContain(LEAK_MARKER);
  }
}

describe("API", () => {
  test.for(apiCases.filter((c) => !c.entry.knownGap))("$key → $entry.path", checkApi);
  // Known gaps (see `knownGap` in the matrix) must still fail; when one passes, its marker is stale.
  test.fails.for(apiCases.filter((c) => c.entry.knownGap))("known gap: $key → $entry.path", checkApi);
});

async function pageOutcome(pathname: string, caller: (typeof callers)[number]): Promise<{ outcome: PageOutcome | string; html: string }> {
  const res = await fetch(app.baseUrl + pathname, { redirect: "manual", headers: { cookie: headers[caller].cookie ?? "" } });
  const html = await res.text();
  if (res.status >= 300 && res.status < 400) {
    const location = new URL(res.headers.get("location") ?? "", app.baseUrl);
    return { outcome: location.pathname === "/login" ? "login" : location.pathname === "/" ? "home" : `redirect ${location.pathname}`, html };
  }
  // A role without access gets the <Forbidden> notice (status 200 in a streamed page, or 403).
  if ((res.status === 200 || res.status === 403) && html.includes("Not allowed")) return { outcome: "forbidden", html };
  return { outcome: res.status === 200 ? "ok" : res.status === 404 ? "notFound" : `status ${res.status}`, html };
}

const pageCases = Object.entries(pageMatrix).flatMap(([key, entries]) => entries.map((entry) => ({ key, entry })));

async function checkPage({ entry }: (typeof pageCases)[number]) {
  const results = await Promise.all(callers.map(async (c) => [c, await pageOutcome(entry.path, c)] as const));
  const mismatches = results.filter(([c, r]) => r.outcome !== entry.expect[c]).map(([c, r]) => `${c}: got ${r.outcome}, expected ${entry.expect[c]}`);
  expect(mismatches).toEqual([]);
  for (const [caller, r] of results) if (scopedCallers.includes(caller)) expectNoLeak(r.html, `${caller}: page ${entry.path}`);
}

describe("pages", () => {
  test.for(pageCases.filter((c) => !c.entry.knownGap))("$entry.path", checkPage);
  test.fails.for(pageCases.filter((c) => c.entry.knownGap))("known gap: $entry.path", checkPage);
});

describe("hardening", () => {
  test("session-authenticated mutations must come from this site (Origin check)", async () => {
    const { cookie } = headers.admin;
    const post = (extra: Record<string, string>) =>
      fetch(`${app.baseUrl}/api/v1/agents`, { method: "POST", headers: { cookie: cookie!, "content-type": "application/json", ...extra }, body: "{}" });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ origin: app.baseUrl })).status).toBe(400);
  });

  test("security headers are on pages and API responses", async () => {
    for (const p of ["/login", "/api/health"]) {
      const res = await fetch(app.baseUrl + p);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
  });

  test("the session cookie is HttpOnly, SameSite=Lax and expires within a working day", async () => {
    const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${app.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
      body: new URLSearchParams({ csrfToken, email: emails.viewer, password: PASSWORD, json: "true" }),
    });
    const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(session)![1]!);
    expect(expires - Date.now()).toBeLessThanOrEqual(8 * 3600_000 + 60_000);
  });

  test("sign-in without next-auth's CSRF token is refused", async () => {
    const res = await fetch(`${app.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: emails.viewer, password: PASSWORD, json: "true" }),
    });
    expect(res.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="))).toBe(false);
  });
});

