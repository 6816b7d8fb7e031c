// Users: invite or create, change role and department scope, deactivate, lift sign-in limits. Every change is audited.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { hashPassword } from "@/lib/auth/passwords";
import { clearSignInLimits, normalizeEmail, signInStates, type SignInState } from "@/lib/auth/sign-in-limits";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { userCreate, userUpdate } from "./schemas";

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  active: true,
  lastLoginAt: true,
  createdAt: true,
  passwordHash: true,
  departments: { select: { departmentId: true } },
  twoFactor: { select: { enabledAt: true } },
} as const;

type UserRow = Prisma.UserGetPayload<{ select: typeof userSelect }>;

/** The API's view of a user: department ids flattened, and whether they can use a password or only SSO. */
function present(u: UserRow) {
  const { passwordHash, departments, twoFactor, ...rest } = u;
  return {
    ...rest,
    passwordLogin: passwordHash !== null,
    twoFactor: twoFactor?.enabledAt != null,
    departmentIds: departments.map((d) => d.departmentId),
  };
}

const NO_LIMITS: SignInState = { failures: 0, limitedUntil: null, delayedUntil: null, delayedSources: 0 };

/** Adds each user's sign-in limits (failures, delayed or limited until when; lib/auth/sign-in-limits.ts). */
async function withSignIn(users: UserRow[]) {
  const states = await signInStates(users.map((u) => u.email));
  return users.map((u) => ({ ...present(u), signIn: states.get(normalizeEmail(u.email)) ?? NO_LIMITS }));
}

export type AdminUser = ReturnType<typeof present>;
/** A user as the users admin lists them: with their sign-in limits. */
export type ListedUser = AdminUser & { signIn: SignInState };

export async function listUsers(): Promise<ListedUser[]> {
  return withSignIn(await db.user.findMany({ select: userSelect, orderBy: { email: "asc" } }));
}

/** Clears the user's failure window and per-source delays, so they can sign in at once. */
export async function unlockUser(caller: Caller, id: number): Promise<ListedUser> {
  const user = await db.user.findUnique({ where: { id }, select: userSelect });
  if (!user) throw new NotFoundError("No such user");
  const [before] = await withSignIn([user]);
  await db.$transaction(async (tx) => {
    await clearSignInLimits(tx, user.email);
    await audit(tx, { actor: caller, action: "user.unlock", entity: "user", entityId: id, before: { signIn: before!.signIn }, after: { signIn: NO_LIMITS } });
  });
  return { ...before!, signIn: NO_LIMITS };
}

async function checkDepartments(tx: Prisma.TransactionClient, ids: number[]) {
  const found = await tx.department.count({ where: { id: { in: ids } } });
  if (found !== new Set(ids).size) {
    throw new BadRequestError("Invalid request body", [{ path: "departmentIds", message: "Unknown department" }]);
  }
}

/** Administration covers the whole organisation, so an admin cannot be limited to departments. */
function checkScopeRole(role: string, departmentIds: number[]) {
  if (role === "admin" && departmentIds.length > 0) {
    throw new BadRequestError("Invalid request body", [{ path: "departmentIds", message: "an admin cannot be limited to departments; choose finance, ops or viewer" }]);
  }
}

export async function createUser(caller: Caller, input: z.output<typeof userCreate>): Promise<AdminUser> {
  return db.$transaction(async (tx) => {
    checkScopeRole(input.role, input.departmentIds);
    await checkDepartments(tx, input.departmentIds);
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        departments: { create: input.departmentIds.map((departmentId) => ({ departmentId })) },
      },
      select: userSelect,
    });
    const after = present(user);
    await audit(tx, { actor: caller, action: input.password ? "user.create" : "user.invite", entity: "user", entityId: user.id, after });
    return after;
  });
}

export async function updateUser(caller: Caller, id: number, input: z.output<typeof userUpdate>): Promise<AdminUser> {
  return db.$transaction(async (tx) => {
    const current = await tx.user.findUnique({ where: { id }, select: userSelect });
    if (!current) throw new NotFoundError("No such user");
    if (caller.kind === "user" && id === caller.id && (input.active === false || (input.role && input.role !== "admin"))) {
      throw new ConflictError("You cannot deactivate yourself or remove your own admin role");
    }
    checkScopeRole(input.role ?? current.role, input.departmentIds ?? current.departments.map((d) => d.departmentId));
    if (input.departmentIds) await checkDepartments(tx, input.departmentIds);
    const updated = await tx.user.update({
      where: { id },
      data: {
        name: input.name,
        role: input.role,
        active: input.active,
        ...(input.password ? { passwordHash: await hashPassword(input.password) } : {}),
        ...(input.departmentIds
          ? { departments: { deleteMany: {}, create: input.departmentIds.map((departmentId) => ({ departmentId })) } }
          : {}),
      },
      select: userSelect,
    });
    // A password reset or a deactivation signs the user out everywhere, at once.
    if (input.password || input.active === false) await tx.userSession.deleteMany({ where: { userId: id } });
    const before = present(current);
    const after = present(updated);
    await audit(tx, {
      actor: caller,
      action: input.active === false ? "user.deactivate" : "user.update",
      entity: "user",
      entityId: id,
      before,
      after: { ...after, ...(input.password ? { passwordChanged: true } : {}) },
    });
    return after;
  });
}
