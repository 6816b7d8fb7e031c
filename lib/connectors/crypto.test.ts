import { expect, test } from "vitest";
import { decryptSecret, encryptSecret } from "./crypto";

test("AES-256-GCM round trip; tampering is detected; ciphertexts differ", () => {
  const a = encryptSecret("sk-admin-123");
  expect(a).not.toContain("sk-admin");
  expect(decryptSecret(a)).toBe("sk-admin-123");
  expect(encryptSecret("sk-admin-123")).not.toBe(a);
  const parts = a.split(":");
  parts[3] = Buffer.from("x" + Buffer.from(parts[3]!, "base64").toString("latin1"), "latin1").toString("base64");
  expect(() => decryptSecret(parts.join(":"))).toThrow();
});
