// Three projects: unit (`*.test.ts`, no database), component (`*.test.tsx`, React components in jsdom with
// Testing Library) and integration (`*.integration.test.ts`, a PostgreSQL database per test file cloned from a
// migrated template; see tests/helpers/).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const exclude = ["**/node_modules/**", "e2e/**", ".next/**", "release/**", ".data/**", "lib/generated/**"];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: root },
      // lib/ modules start with `import "server-only"`, which throws outside React Server Components.
      { find: /^server-only$/, replacement: `${root}tests/helpers/server-only.ts` },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["**/*.test.ts"], exclude: [...exclude, "**/*.integration.test.ts"], setupFiles: ["tests/helpers/setup-unit.ts"] },
      },
      {
        extends: true,
        // Simulated typing and clicking in jsdom is CPU-bound: on a shared 2-core machine 5 s is too tight.
        test: { name: "component", include: ["**/*.test.tsx"], exclude, environment: "jsdom", setupFiles: ["tests/helpers/setup-component.ts"], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude,
          globalSetup: ["tests/helpers/global-setup.ts"],
          setupFiles: ["tests/helpers/setup-integration.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // Each file has its own database and waits on PostgreSQL much of the time: two files at once keep both
          // cores busy (Vitest's default on a 2-core machine is one worker). A worker count of its own needs a group
          // of its own: integration runs after unit and component.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          // Same policy as Playwright: one retry on CI; npm test names every test that needed it.
          retry: process.env.CI ? 1 : 0,
        },
      },
      // Slow fault-injection tests (`*.reliability.ts`): only with RELIABILITY=1, set by `npm run test:reliability`,
      // so `npm test` (which runs every project) stays fast.
      ...(process.env.RELIABILITY === "1" ? [{
        extends: true,
        test: {
          name: "reliability",
          include: ["tests/reliability/**/*.reliability.ts"],
          exclude,
          globalSetup: ["tests/helpers/global-setup.ts"],
          setupFiles: ["tests/helpers/setup-integration.ts"],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      }] : []),
    ],
  },
});
