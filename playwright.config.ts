// Browser journeys (e2e/*.spec.ts) against `next start` of the built app on a seeded e2e database
// (see tests/helpers/e2e-server.ts). Chromium comes from Debian (`npx playwright install` cannot work offline).
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.TEST_E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  // `npm test -- --db-only` (CI's second database) skips what cannot depend on the database: the axe scans and layout.
  testIgnore: process.env.E2E_SKIP_STATIC === "1" ? ["a11y.spec.ts", "layout.spec.ts"] : [],
  outputDir: "test-results",
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: ".data/playwright-results.json" }], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "tsx tests/helpers/e2e-server.ts",
    url: `${baseURL}/api/health`,
    // Seeding and possibly a build happen before the server listens.
    timeout: 600_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    // SIGTERM lets the script stop next and then the embedded PostgreSQL it may have started.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
  },
});
