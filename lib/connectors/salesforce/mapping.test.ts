import { describe, expect, test } from "vitest";
import { buildQuery, checkMapping, toTimestamp } from "./mapping";
import { SalesforceSettingsSchema, type CustomObjectSettings } from "./schemas";

const settings = SalesforceSettingsSchema.parse({
  clientId: "id",
  object: "Usage__c",
  mapping: { timestamp: "Used_At__c", agent: "Agent__c", credits: "Credits__c", account: "Account__c" },
}) as CustomObjectSettings;

describe("salesforce mapping", () => {
  test("defaults: SystemModstamp watermark, $500 per 100,000 credits, v62.0", () => {
    expect(settings).toMatchObject({ watermarkField: "SystemModstamp", apiVersion: "62.0", creditRate: { amount: "500", perCredits: 100_000 }, push: { invoiceObject: null } });
  });

  test("the incremental query selects Id, the watermark and each mapped field once", () => {
    expect(buildQuery(settings, new Date("2026-11-01T00:00:00Z"))).toBe(
      "SELECT Id, SystemModstamp, Used_At__c, Agent__c, Credits__c, Account__c FROM Usage__c WHERE SystemModstamp > 2026-11-01T00:00:00.000Z ORDER BY SystemModstamp ASC",
    );
  });

  test("a missing field is named with its role; field names are case-insensitive", () => {
    const fields = ["Id", "systemmodstamp", "Used_At__c", "Agent__c", "Account__c"].map((name) => ({ name, type: "string" }));
    expect(() => checkMapping(settings, fields)).toThrow("Mapped field not found on Usage__c: Credits__c (credits)");
    expect(() => checkMapping(settings, [...fields, { name: "Credits__c", type: "double" }])).not.toThrow();
  });

  test("Salesforce dateTimes (+0000) and dates become RFC 3339 UTC", () => {
    expect(toTimestamp("2026-11-20T10:00:00.000+0000")).toBe("2026-11-20T10:00:00.000Z");
    expect(toTimestamp("2026-11-20T10:00:00.000-0230")).toBe("2026-11-20T12:30:00.000Z");
    expect(toTimestamp("2026-11-20")).toBe("2026-11-20T00:00:00.000Z");
    expect(toTimestamp("yesterday")).toBeNull();
    expect(toTimestamp(null)).toBeNull();
  });

  test("API names are validated (no SOQL injection through the mapping)", () => {
    expect(SalesforceSettingsSchema.safeParse({ clientId: "x", object: "Usage__c WHERE Id != null", mapping: { timestamp: "CreatedDate" } }).success).toBe(false);
  });
});

describe("salesforce settings", () => {
  test("a presets-only connection needs no object; an object needs its mapping; something must be read", () => {
    expect(SalesforceSettingsSchema.parse({ clientId: "id", presets: ["flex_credits"] })).toMatchObject({ object: null, mapping: null, tokensPaidSeparately: false });
    const issues = (input: object) => SalesforceSettingsSchema.safeParse({ clientId: "id", ...input }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ object: "Usage__c" })).toEqual(["mapping: object and mapping go together"]);
    expect(issues({})).toEqual(["presets: choose at least one preset or a custom object"]);
    expect(issues({ presets: ["sessions", "sessions"] })).toEqual(["presets: each preset once"]);
  });
});
