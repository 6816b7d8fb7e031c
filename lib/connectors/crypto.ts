// Secrets at rest (connector API keys, TOTP secrets): AES-256-GCM, key derived from NEXTAUTH_SECRET with HKDF, one key
// per purpose (rotate the secret → re-enter keys and re-enrol two-factor).
import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

export type SecretPurpose = "connector-api-keys:v1" | "totp-secrets:v1";

function key(purpose: SecretPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", env().NEXTAUTH_SECRET, "agentledger", purpose, 32));
}

export function encryptSecret(plain: string, purpose: SecretPurpose = "connector-api-keys:v1"): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

export function decryptSecret(stored: string, purpose: SecretPurpose = "connector-api-keys:v1"): string {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("unknown secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(purpose), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}
