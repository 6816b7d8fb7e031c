// TOTP against RFC 6238's published test vectors (Appendix B, SHA-1, secret "12345678901234567890").
import { TOTP, Secret } from "otpauth";
import { describe, expect, test } from "vitest";
import { totpStep, totpUri } from "./totp";

const SECRET = Secret.fromLatin1("12345678901234567890").base32;
// [Unix time in seconds, 8-digit TOTP] from RFC 6238 Appendix B (SHA1 column).
const VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("RFC 6238 vectors", () => {
  test.each(VECTORS)("at %i s the 8-digit code is %s", (seconds, code) => {
    const totp = new TOTP({ algorithm: "SHA1", digits: 8, period: 30, secret: Secret.fromBase32(SECRET) });
    expect(totp.generate({ timestamp: seconds * 1000 })).toBe(code);
  });

  // Our codes are 6 digits: the same HOTP value truncated (RFC 4226 §5.3), i.e. the vector's last six digits.
  test.each(VECTORS)("at %i s our 6-digit check accepts the vector's last six digits, for that time step", (seconds, code) => {
    expect(totpStep(SECRET, code.slice(-6), seconds * 1000)).toBe(Math.floor(seconds / 30));
  });
});

describe("totpStep", () => {
  test("accepts one step either side, not two; refuses malformed codes", () => {
    const at = 1234567890 * 1000;
    const prev = new TOTP({ digits: 6, secret: Secret.fromBase32(SECRET) });
    expect(totpStep(SECRET, prev.generate({ timestamp: at - 30_000 }), at)).toBe(Math.floor(1234567890 / 30) - 1);
    expect(totpStep(SECRET, prev.generate({ timestamp: at + 30_000 }), at)).toBe(Math.floor(1234567890 / 30) + 1);
    expect(totpStep(SECRET, prev.generate({ timestamp: at - 60_000 }), at)).toBeNull();
    expect(totpStep(SECRET, "005925", at)).toBeNull();
    expect(totpStep(SECRET, "5924", at)).toBeNull();
    expect(totpStep(SECRET, "abcdef", at)).toBeNull();
  });

  test("the otpauth URI names the app and the account", () => {
    expect(totpUri(SECRET, "ann@example.com")).toBe(
      `otpauth://totp/AgentLedger:ann%40example.com?issuer=AgentLedger&secret=${SECRET}&algorithm=SHA1&digits=6&period=30`,
    );
  });
});
