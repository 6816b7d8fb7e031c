// Optional TOTP two-factor authentication for password accounts: enrol (secret + QR code), confirm with a first code
// (recovery codes shown once), check at sign-in (no code accepted twice), disable with password + code.
import "server-only";
import { randomBytes } from "node:crypto";
import { hashSecret } from "@/lib/auth/secret-hash";
import bcrypt from "bcryptjs";
import QRCode from "qrcode";
import { audit } from "@/lib/audit";
import { BadRequestError, ConflictError } from "@/lib/api/errors";
import { decryptSecret, encryptSecret } from "@/lib/connectors/crypto";
import { db, pool } from "@/lib/db";
import type { UserCaller } from "./caller";
import { newTotpSecret, totpStep, totpUri } from "./totp";

const RECOVERY_CODES = 10;

/** Recovery codes are typed by hand: case, spaces and dashes do not matter. */
const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");

function newRecoveryCode(): string {
  const raw = randomBytes(10).toString("hex");
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`;
}

async function passwordUser(userId: number) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user.passwordHash) throw new ConflictError("Two-factor authentication is for password sign-in; this account signs in through SSO");
  return { email: user.email, passwordHash: user.passwordHash };
}

/** Starts (or restarts) enrolment: a new secret, not yet in force until confirmed with a code. */
export async function startTwoFactorEnrolment(caller: UserCaller) {
  const { email } = await passwordUser(caller.id);
  const current = await db.userTwoFactor.findUnique({ where: { userId: caller.id }, select: { enabledAt: true } });
  if (current?.enabledAt) throw new ConflictError("Two-factor authentication is already on; disable it first to enrol a new device");
  const secret = newTotpSecret();
  const stored = encryptSecret(secret, "totp-secrets:v1");
  await db.userTwoFactor.upsert({
    where: { userId: caller.id },
    create: { userId: caller.id, secret: stored },
    update: { secret: stored, lastStep: null },
  });
  const uri = totpUri(secret, email);
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/**
 * Accepts a TOTP code for a user once: the step of the code must be later than the last accepted one, recorded in
 * the same statement, so a replayed code (or two parallel uses of one) fails.
 */
async function acceptTotp(userId: number, secret: string, code: string, requireEnabled: boolean): Promise<boolean> {
  const step = totpStep(decryptSecret(secret, "totp-secrets:v1"), code);
  if (step === null) return false;
  const { rowCount } = await pool.query(
    `UPDATE user_two_factor SET last_step = $2
     WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2) AND (enabled_at IS NOT NULL) = $3`,
    [userId, step, requireEnabled],
  );
  return rowCount === 1;
}

async function acceptRecoveryCode(userId: number, code: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    "UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND hash = $2 AND used_at IS NULL",
    [userId, hashSecret(normalizeRecovery(code))],
  );
  return rowCount === 1;
}

/** Confirms enrolment with a first code; returns the recovery codes, shown this once and stored hashed. */
export async function confirmTwoFactor(caller: UserCaller, code: string) {
  const row = await db.userTwoFactor.findUnique({ where: { userId: caller.id } });
  if (!row || row.enabledAt) throw new ConflictError("No two-factor enrolment is waiting for confirmation");
  if (!(await acceptTotp(caller.id, row.secret, code, false))) {
    throw new BadRequestError("Invalid request body", [{ path: "code", message: "Wrong or expired code" }]);
  }
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await db.$transaction(async (tx) => {
    await tx.userTwoFactor.update({ where: { userId: caller.id }, data: { enabledAt: new Date() } });
    await tx.userRecoveryCode.deleteMany({ where: { userId: caller.id } });
    await tx.userRecoveryCode.createMany({ data: recoveryCodes.map((c) => ({ userId: caller.id, hash: hashSecret(normalizeRecovery(c)) })) });
    await audit(tx, { actor: caller, action: "user.two_factor_enable", entity: "user", entityId: caller.id });
  });
  return { enabled: true, recoveryCodes };
}

/** Turns two-factor off; asks for the password and a current code (or a recovery code). */
export async function disableTwoFactor(caller: UserCaller, input: { password: string; code: string }) {
  const { passwordHash } = await passwordUser(caller.id);
  if (!(await bcrypt.compare(input.password, passwordHash))) {
    throw new BadRequestError("Invalid request body", [{ path: "password", message: "Wrong password" }]);
  }
  if (!(await verifySecondFactor(caller.id, input.code))) {
    throw new BadRequestError("Invalid request body", [{ path: "code", message: "Wrong or already used code" }]);
  }
  await db.$transaction(async (tx) => {
    await tx.userTwoFactor.delete({ where: { userId: caller.id } });
    await tx.userRecoveryCode.deleteMany({ where: { userId: caller.id } });
    await audit(tx, { actor: caller, action: "user.two_factor_disable", entity: "user", entityId: caller.id });
  });
  return { enabled: false };
}

/** Whether the user must give a second factor at sign-in. */
export async function twoFactorEnabled(userId: number): Promise<boolean> {
  const row = await db.userTwoFactor.findUnique({ where: { userId }, select: { enabledAt: true } });
  return row?.enabledAt != null;
}

/** The sign-in check: a 6-digit TOTP code, or one of the recovery codes (each works once). */
export async function verifySecondFactor(userId: number, code: string): Promise<boolean> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) {
    const row = await db.userTwoFactor.findUnique({ where: { userId }, select: { secret: true } });
    return row ? acceptTotp(userId, row.secret, trimmed, true) : false;
  }
  return trimmed.length > 0 && trimmed.length <= 64 && acceptRecoveryCode(userId, trimmed);
}
