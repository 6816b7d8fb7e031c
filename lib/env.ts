// The one place that reads process.env: every setting validated with a clear message.
import { isIP } from "node:net";
import { z } from "zod";

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
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.url().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Requests per minute for API keys without their own limit. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Seconds an event's timestamp may lie in the future (client clock skew). */
  INGEST_MAX_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).default(300),
  /** Pull connectors: "on" runs due connectors in-process (instrumentation.ts), "off" leaves them to "run now". */
  CONNECTOR_SCHEDULER: z.enum(["on", "off"]).default("on"),
  /** Seconds between the scheduler's checks for due connectors. */
  CONNECTOR_TICK_SECONDS: z.coerce.number().int().min(1).default(60),
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
  /** First SSO login without an invitation: role by email domain, e.g. "example.com:viewer,ops.example.com:ops". */
  SSO_DOMAIN_ROLES: z
    .string()
    .regex(/^\s*$|^\s*[^\s:,]+\s*:\s*(admin|finance|ops|viewer)\s*(,\s*[^\s:,]+\s*:\s*(admin|finance|ops|viewer)\s*)*$/, 'SSO_DOMAIN_ROLES must look like "example.com:viewer,corp.example:ops"')
    .default(""),
});

export type Env = z.infer<typeof schema>;

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
