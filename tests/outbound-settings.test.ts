// The outbound policy's settings as lib/env.ts validates them at start (unit: no database).
import { afterEach, describe, expect, test, vi } from "vitest";

describe("settings (lib/env.ts)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.resetModules();
  });

  async function freshEnv(vars: Record<string, string>) {
    Object.assign(process.env, vars);
    vi.resetModules();
    return (await import("@/lib/env")).env;
  }

  test("the loopback test setting is refused at start in production mode", async () => {
    const env = await freshEnv({ OUTBOUND_ALLOW_LOOPBACK_HTTP: "true", AGENTLEDGER_MODE: "production" });
    expect(() => env()).toThrow("OUTBOUND_ALLOW_LOOPBACK_HTTP: must not be true when AGENTLEDGER_MODE=production");
  });

  test("SSO issuers follow the policy: http or an internal address is refused at start", async () => {
    const env = await freshEnv({ OIDC_ISSUER: "http://idp.example.com", SALESFORCE_SSO_ISSUER: "https://169.254.169.254" });
    expect(() => env()).toThrow(/OIDC_ISSUER: must be an https URL\n.*SALESFORCE_SSO_ISSUER: must not point to an internal address/);
  });
});
