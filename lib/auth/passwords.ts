// Password hashing. Checking a password costs the same whether or not the account exists: sign-in time
// must not tell an attacker which emails have accounts.
import "server-only";
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { env } from "@/lib/env";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, env().PASSWORD_HASH_COST);
}

let dummyHash: Promise<string> | undefined;

/** True if `password` matches `hash`. With no hash (no such user, or SSO only) a dummy hash of the same cost is checked. */
export async function checkPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  dummyHash ??= bcrypt.hash(randomBytes(16).toString("hex"), env().PASSWORD_HASH_COST);
  const matches = await bcrypt.compare(password, hash ?? (await dummyHash));
  return matches && !!hash;
}
