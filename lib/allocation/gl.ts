// General-ledger mapping for the chargeback journal: each department's expense account and cost-center code, and
// the offset account credited with what departments are charged. Maintained by admins, audited.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { BadRequestError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { GlMappingResponse, glMappingUpdate } from "./schemas";

export async function glMapping(): Promise<GlMappingResponse> {
  const [org, departments] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { glOffsetAccount: true } }),
    db.department.findMany({ where: { archivedAt: null }, select: { code: true, name: true, glAccount: true, costCenterCode: true }, orderBy: { code: "asc" } }),
  ]);
  return { offsetAccount: org.glOffsetAccount, departments };
}

export async function updateGlMapping(caller: Caller, input: z.infer<typeof glMappingUpdate>): Promise<GlMappingResponse> {
  return db.$transaction(async (tx) => {
    const before = await glMapping();
    const known = new Set((await tx.department.findMany({ select: { code: true } })).map((d) => d.code));
    const unknown = input.departments.flatMap((d, i) => (known.has(d.code) ? [] : [{ path: `departments.${i}.code`, message: `no department with code ${d.code}` }]));
    if (unknown.length) throw new BadRequestError("Invalid GL mapping", unknown);
    if (input.offsetAccount !== undefined) await tx.organization.update({ where: { id: 1 }, data: { glOffsetAccount: input.offsetAccount } });
    for (const d of input.departments) {
      await tx.department.update({ where: { code: d.code }, data: { glAccount: d.glAccount, costCenterCode: d.costCenterCode } });
    }
    const after = {
      offsetAccount: input.offsetAccount === undefined ? before.offsetAccount : input.offsetAccount,
      departments: before.departments.map((d) => ({ ...d, ...input.departments.find((x) => x.code === d.code) })),
    };
    await audit(tx, { actor: caller, action: "gl_mapping.update", entity: "organization", entityId: 1, before, after });
    return after;
  });
}
