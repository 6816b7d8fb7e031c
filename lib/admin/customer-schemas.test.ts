// Customer billing settings as the API and the admin form validate them: ISO 4217 codes only, the two FX rules.
import { describe, expect, it } from "vitest";
import { customerCreate, customerUpdate } from "./schemas";

describe("customer billing currency", () => {
  it("accepts an active ISO 4217 code, null (the rate card's currency) and either FX rule", () => {
    expect(customerUpdate.parse({ billingCurrency: "KWD", fxRule: "event_day" })).toEqual({ billingCurrency: "KWD", fxRule: "event_day" });
    expect(customerUpdate.parse({ billingCurrency: null })).toEqual({ billingCurrency: null });
    expect(customerCreate.parse({ key: "acme", name: "Acme", billingCurrency: "JPY" }).billingCurrency).toBe("JPY");
  });

  it("rejects an unknown code and an unknown rule, naming the field", () => {
    const bad = customerUpdate.safeParse({ billingCurrency: "XYZ" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ["billingCurrency"], message: "Not an active ISO 4217 currency" });
    expect(customerUpdate.safeParse({ billingCurrency: "gbp" }).error?.issues[0]?.path).toEqual(["billingCurrency"]);
    expect(customerUpdate.safeParse({ fxRule: "daily" }).error?.issues[0]?.path).toEqual(["fxRule"]);
  });
});
