import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, newWebhookSecret, signatureHeader, verifySignature } from "./signing";

const master = "x".repeat(40);

describe("webhook secrets", () => {
  it("round-trips through encryption and fails with another master secret", () => {
    const secret = newWebhookSecret();
    const stored = encryptSecret(secret, master);
    expect(stored).not.toContain(secret);
    expect(decryptSecret(stored, master)).toBe(secret);
    expect(() => decryptSecret(stored, "y".repeat(40))).toThrow();
  });
});

describe("signatures", () => {
  const body = JSON.stringify({ event: "alert.opened" });
  it("verifies the exact body within the tolerance", () => {
    const header = signatureHeader("whsec_a", body, 1_800_000_000);
    expect(verifySignature("whsec_a", header, body, 300, 1_800_000_100_000)).toBe(true);
    expect(verifySignature("whsec_a", header, body + " ", 300, 1_800_000_100_000)).toBe(false);
    expect(verifySignature("whsec_b", header, body, 300, 1_800_000_100_000)).toBe(false);
    expect(verifySignature("whsec_a", header, body, 300, 1_800_001_000_000)).toBe(false);
    expect(verifySignature("whsec_a", null, body)).toBe(false);
  });
});
