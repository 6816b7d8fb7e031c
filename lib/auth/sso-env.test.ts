// SSO settings that would open the door too wide are configuration errors: a domain rule granting admin, and
// Salesforce SSO on the shared login host (every org's users) without the org id pinned.
import { describe, expect, test } from "vitest";
import { envSchema } from "@/lib/env";

const base = { DATABASE_URL: "postgresql://x@localhost/db", NEXTAUTH_SECRET: "x".repeat(32) };
const issues = (extra: Record<string, string>) => {
  const r = envSchema.safeParse({ ...base, ...extra });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("SSO configuration", () => {
  test("SSO_DOMAIN_ROLES cannot grant admin", () => {
    expect(issues({ SSO_DOMAIN_ROLES: "example.com:viewer,corp.example:ops" })).toEqual([]);
    expect(issues({ SSO_DOMAIN_ROLES: "example.com:admin" }).join()).toMatch(/SSO_DOMAIN_ROLES: .*admin cannot be granted by domain/);
    expect(issues({ SSO_DOMAIN_ROLES: "example.com:viewer, corp.example : Admin" })).not.toEqual([]);
  });

  test("Salesforce SSO on login.salesforce.com or test.salesforce.com needs SALESFORCE_SSO_ORG_ID", () => {
    const sf = { SALESFORCE_SSO_CLIENT_ID: "id", SALESFORCE_SSO_CLIENT_SECRET: "secret" };
    expect(issues(sf).join()).toMatch(/SALESFORCE_SSO_ORG_ID: required with SALESFORCE_SSO_ISSUER=https:\/\/login\.salesforce\.com/);
    expect(issues({ ...sf, SALESFORCE_SSO_ISSUER: "https://test.salesforce.com/" })).toHaveLength(1);
    expect(issues({ ...sf, SALESFORCE_SSO_ORG_ID: "00D5g000004ABCD" })).toEqual([]);
    expect(issues({ ...sf, SALESFORCE_SSO_ORG_ID: "00D5g000004ABCDEAA" })).toEqual([]);
    expect(issues({ ...sf, SALESFORCE_SSO_ORG_ID: "not-an-org" }).join()).toMatch(/SALESFORCE_SSO_ORG_ID: .*org id/);
    // A My Domain issuer serves one org: the pin is optional there.
    expect(issues({ ...sf, SALESFORCE_SSO_ISSUER: "https://acme.my.salesforce.com" })).toEqual([]);
  });
});
