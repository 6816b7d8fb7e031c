// npm run apikey:create -- --name NAME --scopes ingest,read [--source SOURCE] [--rate-limit N]
// Creates an API key in the app's database (DATABASE_URL, else the embedded cluster) and prints its secret once.
import { parseArgs } from "node:util";
import { loadDotEnv, nextAuthSecret } from "./lib/common";
import { provideDatabase } from "./lib/database";

const usage = "usage: npm run apikey:create -- --name NAME --scopes ingest,read [--source SOURCE] [--rate-limit N]";

async function main() {
  const { values } = parseArgs({
    options: { name: { type: "string" }, scopes: { type: "string" }, source: { type: "string" }, "rate-limit": { type: "string" } },
  });
  const scopes = (values.scopes ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const rateLimit = values["rate-limit"] === undefined ? null : Number(values["rate-limit"]);
  if (!values.name || scopes.length === 0 || scopes.some((s) => s !== "ingest" && s !== "read")) {
    throw new Error(`${usage}\n(--name is required; --scopes is a comma-separated list of ingest and read)`);
  }
  if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0)) throw new Error("--rate-limit must be a positive integer (requests per minute)");

  loadDotEnv();
  const database = await provideDatabase();
  try {
    process.env.DATABASE_URL = database.ownerUrl;
    process.env.NEXTAUTH_SECRET = nextAuthSecret();
    // Imported after the environment is set: lib/db.ts reads it when loaded.
    const { createApiKey } = await import("@/lib/auth/api-keys");
    const { db, pool } = await import("@/lib/db");
    try {
      const { key, secret } = await createApiKey({
        name: values.name,
        scopes: scopes as ("ingest" | "read")[],
        source: values.source,
        rateLimitPerMinute: rateLimit,
      });
      console.log(`Created API key #${key.id} "${key.name}" (scopes: ${key.scopes.join(", ")}; source: ${key.source}; rate limit: ${key.rateLimitPerMinute ?? "default"}/min)`);
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
