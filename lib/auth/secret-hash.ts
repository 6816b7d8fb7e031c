// Every random secret we store (API keys, setup and invitation tokens, customer links, recovery codes) is kept as
// its SHA-256: the secrets carry 128+ random bits, so a slow password hash would add nothing.
import { createHash } from "node:crypto";

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");
