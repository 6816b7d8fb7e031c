// TOTP codes (RFC 6238: SHA-1, 6 digits, 30-second steps) with the otpauth library; no database here.
import "server-only";
import { Secret, TOTP } from "otpauth";

const PERIOD = 30;
/** One step either side: a phone clock a little off, or a code typed as it changes. */
const WINDOW = 1;

function totp(secretBase32: string, label = "") {
  return new TOTP({ issuer: "AgentLedger", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secretBase32: string, account: string): string {
  return totp(secretBase32, account).toString();
}

/** The time step the code belongs to, or null when it matches none within the window. */
export function totpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}
