// Exactly-once effects for jobs: the effect and a mark keyed by a natural key (or the job id) commit in one
// transaction. A job killed before the commit left nothing and its retry does the work; a job killed after it
// left the mark and its retry skips the effect. Two runs at once: the second waits on the first's row lock.
import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Runs `effect` in a transaction unless `key` is marked done; returns whether it ran now. */
export async function once(key: string, jobId: string | null, effect: (tx: Prisma.TransactionClient) => Promise<void>): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const marked = await tx.$executeRaw`INSERT INTO job_effects (key, job_id) VALUES (${key}, ${jobId}) ON CONFLICT DO NOTHING`;
    if (marked === 0) return false;
    await effect(tx);
    return true;
  });
}
