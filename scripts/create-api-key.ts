// npm run apikey:create -- --name NAME --scopes ingest,read [--source SOURCE] [--rate-limit N] [ingestion bindings, see usage]
// Creates an API key in the app's database (DATABASE_URL, else the embedded cluster) and prints its secret once.
import { parseArgs } from "node:util";
import { loadDotEnv, nextAuthSecret } from "./lib/common";
import { provideDatabase } from "./lib/database";

const usage =
  "usage: npm run apikey:create -- --name NAME --scopes ingest,read [--source SOURCE] [--rate-limit N]\n" +
  "  [--agents KEY,...] [--departments CODE,...] [--customers KEY,...] (bind the key; default: any)\n" +
  "  [--max-cost AMOUNT] (per-event cost ceiling) [--may-create] (may create unknown agents/customers)\n" +
  "  [--may-write-finalized] (may write into finalized billing periods, as late adjustments)";
const list = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      scopes: { type: "string" },
      source: { type: "string" },
      "rate-limit": { type: "string" },
      agents: { type: "string" },
      departments: { type: "string" },
      customers: { type: "string" },
      "max-cost": { type: "string" },
      "may-create": { type: "boolean" },
      "may-write-finalized": { type: "boolean" },
    },
  });
  const scopes = (values.scopes ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const rateLimit = values["rate-limit"] === undefined ? null : Number(values["rate-limit"]);
  if (!values.name || scopes.length === 0 || scopes.some((s) => s !== "ingest" && s !== "read")) {
    throw new Error(`${usage}\n(--name is required; --scopes is a comma-separated list of ingest and read)`);
  }
  if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0)) throw new Error("--rate-limit must be a positive integer (requests per minute)");
  const maxCost = values["max-cost"] ?? null;
  if (maxCost !== null && !(/^\d{1,10}(\.\d{1,10})?$/.test(maxCost) && Number(maxCost) > 0)) throw new Error("--max-cost must be a positive amount, e.g. 5.00");

  loadDotEnv();
  const database = await provideDatabase();
  try {
    process.env.DATABASE_URL = database.ownerUrl;
    process.env.NEXTAUTH_SECRET = nextAuthSecret();
    // Imported after the environment is set: lib/db.ts reads it when loaded.
    const { createApiKey } = await import("@/lib/auth/api-keys");
    const { db, pool } = await import("@/lib/db");
    try {
      const codes = list(values.departments);
      const departments = await db.department.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
      const unknown = codes.filter((c) => !departments.some((d) => d.code === c));
      if (unknown.length) throw new Error(`--departments: no department with code ${unknown.join(", ")}`);
      const { key, secret } = await createApiKey({
        name: values.name,
        scopes: scopes as ("ingest" | "read")[],
        source: values.source,
        rateLimitPerMinute: rateLimit,
        allowedAgents: list(values.agents),
        allowedDepartmentIds: departments.map((d) => d.id),
        allowedCustomers: list(values.customers),
        maxCostPerEvent: maxCost,
        mayCreateEntities: values["may-create"] ?? false,
        mayWriteFinalized: values["may-write-finalized"] ?? false,
      });
      console.log(`Created API key #${key.id} "${key.name}" (scopes: ${key.scopes.join(", ")}; source: ${key.source}; rate limit: ${key.rateLimitPerMinute ?? "default"}/min)`);
      const any = (what: string, l: string[]) => (l.length ? l.join(", ") : `any ${what}`);
      console.log(
        `It may write: agents ${any("agent", key.allowedAgents)}; departments ${any("department", codes)}; customers ${any("customer", key.allowedCustomers)}; ` +
          `${key.maxCostPerEvent ? `at most ${key.maxCostPerEvent.toString()} per event` : "no cost ceiling"}; ` +
          `${key.mayCreateEntities ? "may" : "may not"} create agents/customers; ${key.mayWriteFinalized ? "may" : "may not"} write into finalized periods`,
      );
      console.log("Secret (shown only now, store it safely):");
      console.log(secret);
    } finally {
      await db.$disconnect();
      await pool.end();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
