// SMTP settings: a From address with a host, credentials in pairs, no STARTTLS switch-off on an implicit-TLS port.
import { describe, expect, test } from "vitest";
import { envSchema } from "@/lib/env";

const base = { DATABASE_URL: "postgresql://x@localhost/db", NEXTAUTH_SECRET: "x".repeat(32) };
const issues = (extra: Record<string, string>) => {
  const r = envSchema.safeParse({ ...base, ...extra });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("SMTP configuration", () => {
  test("a complete setting passes; the defaults are STARTTLS required, no implicit TLS", () => {
    expect(issues({ SMTP_HOST: "smtp.example.com", SMTP_FROM: "AgentLedger <a@example.com>", SMTP_USER: "u", SMTP_PASSWORD: "p" })).toEqual([]);
    const parsed = envSchema.parse({ ...base, SMTP_HOST: "smtp.example.com", SMTP_FROM: "a@example.com" });
    expect(parsed).toMatchObject({ SMTP_SECURE: false, SMTP_STARTTLS: "required" });
    expect(parsed.SMTP_PORT).toBeUndefined();
  });

  test("each mistake names its variable", () => {
    expect(issues({ SMTP_HOST: "smtp.example.com" })).toEqual(["SMTP_FROM: is required with SMTP_HOST (the From address of notification mail)"]);
    expect(issues({ SMTP_USER: "u" })).toEqual(["SMTP_PASSWORD: SMTP_USER and SMTP_PASSWORD go together"]);
    expect(issues({ SMTP_SECURE: "true", SMTP_STARTTLS: "off" }).join()).toMatch(/^SMTP_STARTTLS: /);
    expect(issues({ SMTP_PORT: "70000" }).join()).toMatch(/^SMTP_PORT: /);
    expect(issues({ SMTP_STARTTLS: "maybe" }).join()).toMatch(/^SMTP_STARTTLS: /);
  });
});
