// The one place that reads process.env: every setting validated with a clear message.
import { isIP } from "node:net";
import { z } from "zod";
import { outboundUrlRefusal } from "@/lib/net/outbound-url";

/** "none", or comma-separated IP addresses and CIDR ranges (e.g. "10.0.0.0/8, ::1"). */
export function isProxyList(value: string): boolean {
  if (value.trim().toLowerCase() === "none") return true;
  return value.split(",").every((entry) => {
    const [ip = "", bits, extra] = entry.trim().split("/");
    const family = isIP(ip);
    return family !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  });
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set (npm start sets it for the embedded PostgreSQL)" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// connection string"),
  /**
   * The role that owns the tables, for background maintenance that needs DDL (partitions, retention drops);
   * requests never use it. DATABASE_URL is the app's own role (README, "Database roles"). npm start sets both.
   */
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_OWNER_URL must be a postgresql:// connection string")
    .optional(),
  /**
   * A read replica (streaming standby) of DATABASE_URL for the dashboards' reads (the GET routes that declare
   * `replica: true`); unset = the primary. Everything else (auth, rate limits, writes) stays on DATABASE_URL.
   */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_READ_URL must be a postgresql:// connection string")
    .optional(),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.url().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Requests per minute for API keys without their own limit. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Requests per minute per signed-in user and per API key on every route but ingestion (which has its own limit). */
  READ_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Longest a request's SQL statement may run before PostgreSQL cancels it (503 query_timeout); 0 = no limit. */
  REQUEST_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Seconds an event's timestamp may lie in the future (client clock skew). */
  INGEST_MAX_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Rollup tail rows past which ingestion answers 503 ingestion_backlog until the fold catches up (lib/ingest/admission.ts). */
  INGEST_TAIL_LIMIT_ROWS: z.coerce.number().int().min(1).default(500_000),
  /** Seconds after an OTLP trace's last span before it settles; a span arriving later corrects it as an adjustment (docs/formats.md). */
  TRACE_SETTLE_SECONDS: z.coerce.number().int().min(0).default(600),
  /** Pull connectors: "on" schedules the per-minute job that runs due connectors (lib/jobs), "off" leaves them to "run now". Set it alike on every instance. */
  CONNECTOR_SCHEDULER: z.enum(["on", "off"]).default("on"),
  /** Background jobs (lib/jobs, pg-boss): "on" runs a worker in this app instance; "off" only enqueues (another instance or process works). */
  JOBS_WORKER: z.enum(["on", "off"]).default("on"),
  /** Seconds between a worker's polls of each queue for new jobs. */
  JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  /** Seconds between maintenance passes (one instance at a time): a job whose instance died is retried once its expiry passed and such a pass ran. */
  JOBS_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Generic OpenID Connect single sign-on; enabled when issuer, client id and secret are all set. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default("Single sign-on"),
  /** Salesforce as a named sign-in provider (a connected app); My Domain URL or login.salesforce.com. */
  SALESFORCE_SSO_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_SSO_CLIENT_SECRET: z.string().min(1).optional(),
  SALESFORCE_SSO_ISSUER: z.url().default("https://login.salesforce.com"),
  /**
   * Proxies whose X-Forwarded-For is believed for sign-in limits: comma-separated IPs and CIDRs, or "none".
   * Anyone else's X-Forwarded-For is ignored and the connection's own address counts (lib/auth/client-address.ts).
   */
  TRUSTED_PROXIES: z
    .string()
    .default("none")
    .refine(isProxyList, 'TRUSTED_PROXIES must be "none" or comma-separated IP addresses and CIDR ranges, e.g. "10.0.0.0/8,127.0.0.1"'),
  /** bcrypt cost of new password hashes, and of the dummy hash checked for unknown emails so they take as long. */
  PASSWORD_HASH_COST: z.coerce.number().int().min(4).max(15).default(12),
  /**
   * The Salesforce org (id 00D…) whose users may sign in: login.salesforce.com serves every org, so it is required
   * there (and on test.salesforce.com); with a My Domain issuer it is checked when set.
   */
  SALESFORCE_SSO_ORG_ID: z
    .string()
    .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, "SALESFORCE_SSO_ORG_ID must be a Salesforce org id (00D…, 15 or 18 characters)")
    .optional(),
  /**
   * First SSO login without an invitation: role by email domain, e.g. "example.com:viewer,ops.example.com:ops".
   * A domain rule cannot grant admin: anyone who can get an address at that domain would become an administrator.
   */
  SSO_DOMAIN_ROLES: z
    .string()
    .regex(/^\s*$|^\s*[^\s:,]+\s*:\s*(finance|ops|viewer)\s*(,\s*[^\s:,]+\s*:\s*(finance|ops|viewer)\s*)*$/, 'SSO_DOMAIN_ROLES must look like "example.com:viewer,corp.example:ops" (roles finance, ops or viewer; admin cannot be granted by domain)')
    .default(""),
  /** Tests only: lets outbound requests (connectors, webhooks, SSO) use plain http to loopback. Refused in production mode. */
  OUTBOUND_ALLOW_LOOPBACK_HTTP: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  /** Email notifications over SMTP (issue 21); unset SMTP_HOST means no email channel can be added. */
  SMTP_HOST: z.string().min(1).optional(),
  /** Default 465 with SMTP_SECURE=true, else 587. */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** true: TLS from the first byte (port 465). false: plain connection upgraded per SMTP_STARTTLS. */
  SMTP_SECURE: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  /** required: refuse to send without STARTTLS; optional: upgrade when offered; off: never (a local relay). */
  SMTP_STARTTLS: z.enum(["required", "optional", "off"]).default("required"),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** The From address, e.g. "AgentLedger <alerts@example.com>". */
  SMTP_FROM: z.string().min(3).optional(),
  /** Request body caps in bytes (413 above them): JSON API routes, next-auth's sign-in routes, file import uploads. */
  BODY_LIMIT_JSON_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  BODY_LIMIT_AUTH_BYTES: z.coerce.number().int().min(1024).default(16 * 1024),
  IMPORT_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(512 * 1024 * 1024),
  /** File import caps: bytes after gzip decompression, lines (blank ones count), seconds of processing. */
  IMPORT_MAX_DECOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024 * 1024),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(5_000_000),
  IMPORT_MAX_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Folder where raw event retention writes its archives (gzip'd CSV + manifest per month, docs/retention.md). */
  RETENTION_ARCHIVE_DIR: z.string().min(1).default(".data/archive"),
  /** "production": required settings checked at start, never seeds, refuses demo accounts (README "Production"). */
  AGENTLEDGER_MODE: z.enum(["demo", "production"]).optional(),
})
  .superRefine((e, ctx) => {
  const sharedLogin = /^https:\/\/(login|test)\.salesforce\.com\/?$/.test(e.SALESFORCE_SSO_ISSUER);
  if (e.SALESFORCE_SSO_CLIENT_ID && sharedLogin && !e.SALESFORCE_SSO_ORG_ID) {
    ctx.addIssue({
      code: "custom",
      path: ["SALESFORCE_SSO_ORG_ID"],
      message: `required with SALESFORCE_SSO_ISSUER=${e.SALESFORCE_SSO_ISSUER}, which signs in users of every Salesforce org`,
    });
  }
  // The loopback escape hatch exists for tests' local fakes; a production deployment must never have it.
  if (e.OUTBOUND_ALLOW_LOOPBACK_HTTP && process.env.AGENTLEDGER_MODE === "production") {
    ctx.addIssue({ code: "custom", path: ["OUTBOUND_ALLOW_LOOPBACK_HTTP"], message: "must not be true when AGENTLEDGER_MODE=production" });
  }
  if (e.SMTP_HOST && !e.SMTP_FROM) ctx.addIssue({ code: "custom", path: ["SMTP_FROM"], message: "is required with SMTP_HOST (the From address of notification mail)" });
  if (Boolean(e.SMTP_USER) !== Boolean(e.SMTP_PASSWORD)) ctx.addIssue({ code: "custom", path: [e.SMTP_USER ? "SMTP_PASSWORD" : "SMTP_USER"], message: "SMTP_USER and SMTP_PASSWORD go together" });
  if (e.SMTP_SECURE && e.SMTP_STARTTLS === "off") ctx.addIssue({ code: "custom", path: ["SMTP_STARTTLS"], message: "cannot be off with SMTP_SECURE=true (the connection is TLS already)" });
  for (const key of ["OIDC_ISSUER", "SALESFORCE_SSO_ISSUER"] as const) {
    const refusal = e[key] ? outboundUrlRefusal(e[key], e.OUTBOUND_ALLOW_LOOPBACK_HTTP) : null;
    if (refusal) ctx.addIssue({ code: "custom", path: [key], message: refusal });
  }
})
  .superRefine((value, ctx) => {
  if (value.AGENTLEDGER_MODE !== "production") return;
  // Production never falls back to the development defaults (generated secret, localhost URL, no proxy decision).
  const missing = (key: string, message: string) => ctx.addIssue({ code: "custom", path: [key], message });
  if (!value.NEXTAUTH_URL) missing("NEXTAUTH_URL", "is required in production mode (the public https URL users open)");
  // TRUSTED_PROXIES defaults to "none" elsewhere; production must say so explicitly.
  if (!process.env.TRUSTED_PROXIES?.trim()) missing("TRUSTED_PROXIES", 'is required in production mode: your reverse proxies\' addresses, or "none"');
  // Also when other variables failed, so one message lists everything a production start lacks.
}, { when: (payload) => typeof payload.value === "object" && payload.value !== null });

export type Env = z.infer<typeof schema>;

/** The rules themselves, for tests (everything else calls env()). */
export const envSchema = schema;

let cached: Env | undefined;

/** Parsed configuration; throws one message listing every invalid variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}
