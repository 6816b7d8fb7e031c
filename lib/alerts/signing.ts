// Webhook secrets and signatures.
// The signing secret must be available in clear to sign, so it is stored encrypted (AES-256-GCM) with a key
// derived by HKDF-SHA256 from NEXTAUTH_SECRET; rotating NEXTAUTH_SECRET means re-creating webhooks.
// Signature header (like Stripe's): `X-AgentLedger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`;
// the timestamp inside the signed text lets receivers reject replays.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-agentledger-signature";

function key(masterSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterSecret, "agentledger", "webhook-secret-v1", 32));
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64url")}`;
}

export function encryptSecret(secret: string, masterSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(masterSecret), iv);
  const data = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
}

export function decryptSecret(encrypted: string, masterSecret: string): string {
  const [version, iv, tag, data] = encrypted.split(":");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("unknown webhook secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(masterSecret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

/** For receivers (and tests): true when the header signs this exact body and is at most `toleranceSeconds` old. */
export function verifySignature(secret: string, header: string | null | undefined, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=", 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1 || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex"));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
