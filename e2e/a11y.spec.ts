// axe on every page, in light and in dark mode (the theme follows the system preference, emulated here): no
// serious or critical WCAG 2.1 A/AA violation. A failure lists each rule with the elements it flagged.
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

const statePath = path.join(process.env.DATA_DIR ?? ".data", "a11y-admin-state.json");

/** One row's column from the e2e database (the detail pages need a real key); null when the table is empty. */
async function first(sql: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(sql);
    return rows[0]?.v ?? null;
  } finally {
    await client.end();
  }
}

const staticPages = [
  "/", "/usage", "/workload", "/roi", "/events", "/allocation", "/allocation/rules", "/allocation/gl-accounts", "/invoices", "/customers",
  "/import", "/getting-started", "/account", "/admin", "/admin/agents", "/admin/alerts", "/admin/api-keys", "/admin/audit-log",
  "/admin/connectors", "/admin/customers", "/admin/departments", "/admin/fx-rates", "/admin/jobs", "/admin/model-prices", "/admin/recompute",
  "/admin/settings", "/admin/task-types", "/admin/users", "/admin/meters", "/approvals",
];
const detailPages: { name: string; sql: string; path: (v: string) => string }[] = [
  { name: "/agents/[key]", sql: "SELECT key AS v FROM agents ORDER BY key LIMIT 1", path: (v) => `/agents/${encodeURIComponent(v)}` },
  { name: "/allocation/[code]", sql: "SELECT code AS v FROM departments ORDER BY code LIMIT 1", path: (v) => `/allocation/${encodeURIComponent(v)}` },
  { name: "/customers/[key]", sql: "SELECT key AS v FROM customers ORDER BY key LIMIT 1", path: (v) => `/customers/${encodeURIComponent(v)}` },
  { name: "/invoices/[id]", sql: "SELECT id::text AS v FROM invoices ORDER BY id LIMIT 1", path: (v) => `/invoices/${v}` },
];

async function scan(page: Page, url: string) {
  // One page load, two axe runs; on a loaded 2-core machine a data-heavy page takes a while.
  test.setTimeout(120_000);
  await page.emulateMedia({ colorScheme: "light" });
  // Every Content-Security-Policy violation (what Lighthouse's best-practices audit lists from DevTools' Issues).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(url);
  // Data arrives after the first paint: scan the page the user ends up seeing, not its loading state.
  await expect(page.locator('[role="status"]:has-text("Loading")')).toHaveCount(0, { timeout: 15_000 });
  for (const scheme of ["light", "dark"] as const) {
    await test.step(`${url} in ${scheme} mode`, async () => {
      if (scheme === "dark") {
        // What the head script does for a system in dark mode, without loading the page again.
        await page.emulateMedia({ colorScheme: "dark" });
        // Buttons and links animate their colours (transition-colors): axe must see the end state, not a mix of the
        // two themes (a flaky contrast failure under load), so wait for the colour transitions to finish.
        await page.evaluate(async () => {
          document.documentElement.classList.add("dark");
          await Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined)));
        });
      }
      await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      const result = await new AxeBuilder({ page })
        // Label in name (WCAG 2.5.3) is "experimental" in axe, so off unless named; Lighthouse runs it.
        .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 8).map((n) => `  ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ")}`).join("\n")}`);
      expect(report, `${url} (${scheme})`).toEqual([]);
    });
  }
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), `${url}: CSP violations`).toEqual([]);
}

async function signedIn(browser: Browser) {
  const context = await browser.newContext({ storageState: statePath });
  return { context, page: await context.newPage() };
}

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await loginAs(page, "admin");
  fs.mkdirSync(path.dirname(statePath), { recursive: true });
  await context.storageState({ path: statePath });
  await context.close();
});

test("the login page has no serious accessibility violations", async ({ page }) => {
  await scan(page, "/login");
});

for (const url of staticPages) {
  test(`${url} has no serious accessibility violations`, async ({ browser }) => {
    const { context, page } = await signedIn(browser);
    await scan(page, url);
    await context.close();
  });
}

for (const detail of detailPages) {
  test(`${detail.name} has no serious accessibility violations`, async ({ browser }) => {
    const { context, page } = await signedIn(browser);
    if (detail.name === "/invoices/[id]" && (await first(detail.sql)) === null) {
      // The seed has no invoices: draft the month before last (the billing journey works on last month).
      const d = new Date();
      const period = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 2, 1)).toISOString().slice(0, 7);
      const origin = new URL(test.info().project.use.baseURL!).origin;
      expect((await page.request.post("/api/v1/invoices/drafts", { data: { period }, headers: { origin } })).ok()).toBe(true);
    }
    const value = await first(detail.sql);
    test.skip(value === null, `no row for ${detail.name} in the e2e database`);
    await scan(page, detail.path(value!));
    await context.close();
  });
}
