// Who receives what: subscriptions of a channel to notification kinds, per department or organization-wide.
// Admins set them on the organization's channels; every user sets their own, which go to their own email channel
// (created on first save, one per user). Deliveries are routed here: a channel gets a notification only when active
// and subscribed to its kind for its department (or organization-wide). A department's owner gets its alerts and
// monthly statement without subscribing (OWNER_KINDS) until they untick them (a notification_opt_outs row) or follow
// a mail's unsubscribe link (which pauses their email channel).
import "server-only";
import { audit } from "@/lib/audit";
import type { Caller, UserCaller } from "@/lib/auth/caller";
import { BadRequestError, ForbiddenError, NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ORGANIZATION_ONLY_KINDS } from "./kinds";
import type { MySubscriptionsView, NotificationKind, SubscriptionItem, SubscriptionsView } from "./schemas";

/** Kinds whose organization-wide subscription covers every department's notifications too. */
const ALERT_KINDS: readonly string[] = ["budget", "forecast", "anomaly"];
/** What a new organization channel receives (what every channel received before subscriptions existed). */
export const DEFAULT_CHANNEL_KINDS: readonly NotificationKind[] = ["budget", "forecast", "anomaly"];

/** What a department's owner receives by default, for that department. */
export const OWNER_KINDS: readonly NotificationKind[] = ["budget", "forecast", "anomaly", "statement.monthly"];

/**
 * The owner's email channel when the owner receives `kind` for the department by default: an active owner who has
 * not opted out, with an active channel (created here on the first notification, so the unsubscribe link has a
 * channel to pause). Null otherwise.
 */
async function ownerChannel(tx: Prisma.TransactionClient, kind: string, departmentId: number): Promise<number | null> {
  if (!OWNER_KINDS.includes(kind as NotificationKind)) return null;
  const department = await tx.department.findUnique({ where: { id: departmentId }, select: { archivedAt: true, owner: { select: { id: true, email: true, active: true } } } });
  const owner = department?.owner;
  if (!department || department.archivedAt || !owner?.active) return null;
  if (await tx.notificationOptOut.findUnique({ where: { userId_kind_departmentId: { userId: owner.id, kind, departmentId } } })) return null;
  // ON CONFLICT: two notifications routed at once (an evaluation and a report) create the one channel once; an
  // existing channel follows the owner's current address.
  await tx.$executeRaw`INSERT INTO webhooks (type, url, user_id, updated_at) VALUES ('email', ${`mailto:${owner.email}`}, ${owner.id}, now())
    ON CONFLICT (user_id) DO UPDATE SET url = EXCLUDED.url WHERE webhooks.url IS DISTINCT FROM EXCLUDED.url`;
  const channel = await tx.webhook.findUniqueOrThrow({ where: { userId: owner.id }, select: { id: true, active: true } });
  return channel.active ? channel.id : null;
}

/** The active channels subscribed to `kind` for `departmentId` (null: the organization's own notification), and the department owner's. */
export async function subscribedChannels(tx: Prisma.TransactionClient, kind: string, departmentId: number | null): Promise<number[]> {
  const scopes: Prisma.NotificationSubscriptionWhereInput[] = [{ departmentId }];
  if (departmentId !== null && ALERT_KINDS.includes(kind)) scopes.push({ departmentId: null });
  const rows = await tx.notificationSubscription.findMany({
    where: { kind, OR: scopes, channel: { active: true } },
    select: { channelId: true },
    distinct: ["channelId"],
  });
  const ids = new Set(rows.map((r) => r.channelId));
  const owner = departmentId === null ? null : await ownerChannel(tx, kind, departmentId);
  if (owner !== null) ids.add(owner);
  return [...ids];
}

/** The departments a user owns, for their defaults. */
const ownedWhere = (userId: number) => ({ where: { ownerId: userId, archivedAt: null }, select: { id: true, code: true }, orderBy: { code: "asc" as const } });

/** The (kind, department) pairs an owner receives unless opted out, keyed like subscriptions: "kind:departmentId". */
function ownerDefaults(owned: { id: number; code: string }[]): Map<string, { kind: NotificationKind; departmentId: number; code: string }> {
  return new Map(owned.flatMap((d) => OWNER_KINDS.map((kind) => [`${kind}:${d.id}`, { kind, departmentId: d.id, code: d.code }] as const)));
}

async function visibleDepartments(caller: UserCaller | null) {
  const where = caller?.departmentIds ? { id: { in: caller.departmentIds } } : {};
  return db.department.findMany({ where: { ...where, archivedAt: null }, select: { id: true, code: true, name: true }, orderBy: { code: "asc" } });
}

async function itemsOf(channelId: number | null): Promise<SubscriptionItem[]> {
  if (channelId === null) return [];
  const rows = await db.notificationSubscription.findMany({ where: { channelId }, include: { department: { select: { code: true } } }, orderBy: [{ kind: "asc" }, { departmentId: "asc" }] });
  return rows.map((r) => ({ kind: r.kind as NotificationKind, department: r.department?.code ?? null }));
}

/**
 * Replaces a channel's subscriptions. `caller` limits the departments (a department-scoped user: only theirs,
 * never organization-wide); unknown codes are a 400 naming the item, and nothing changes.
 */
async function replace(tx: Prisma.TransactionClient, channelId: number, items: SubscriptionItem[], scope: UserCaller | null, ownerKeys?: Set<string>): Promise<void> {
  const departments = new Map((await tx.department.findMany({ select: { id: true, code: true, archivedAt: true } })).map((d) => [d.code, d]));
  const rows = new Map<string, { channelId: number; kind: string; departmentId: number | null }>();
  items.forEach((item, i) => {
    let departmentId: number | null = null;
    if (item.department !== null && ORGANIZATION_ONLY_KINDS.includes(item.kind)) {
      throw new BadRequestError("Billing notifications are organization-wide", [{ path: `subscriptions.${i}.department`, message: `${item.kind} is subscribed for the organization (department null), not per department` }]);
    }
    if (item.department === null) {
      if (scope?.departmentIds) throw new ForbiddenError("Department-scoped users can subscribe to their own departments only, not organization-wide");
    } else {
      const d = departments.get(item.department);
      if (!d || d.archivedAt) throw new BadRequestError("Unknown department", [{ path: `subscriptions.${i}.department`, message: `No active department ${item.department}` }]);
      if (scope?.departmentIds && !scope.departmentIds.includes(d.id)) throw new ForbiddenError(`Department ${item.department} is outside your departments`);
      departmentId = d.id;
    }
    rows.set(`${item.kind}:${departmentId}`, { channelId, kind: item.kind, departmentId });
  });
  // An owner's defaults are not stored as subscriptions (they follow ownership); their absence is an opt-out.
  if (scope && ownerKeys) {
    const optOuts = [...ownerKeys].filter((key) => !rows.has(key)).map((key) => ({ userId: scope.id, kind: key.slice(0, key.lastIndexOf(":")), departmentId: Number(key.slice(key.lastIndexOf(":") + 1)) }));
    await tx.notificationOptOut.deleteMany({ where: { userId: scope.id } });
    if (optOuts.length) await tx.notificationOptOut.createMany({ data: optOuts });
    for (const key of ownerKeys) rows.delete(key);
  }
  await tx.notificationSubscription.deleteMany({ where: { channelId } });
  if (rows.size) await tx.notificationSubscription.createMany({ data: [...rows.values()] });
}

export async function getChannelSubscriptions(channelId: number): Promise<SubscriptionsView> {
  const channel = await db.webhook.findUnique({ where: { id: channelId }, select: { id: true, userId: true } });
  if (!channel || channel.userId !== null) throw new NotFoundError(`No channel ${channelId}`);
  const departments = await visibleDepartments(null);
  return { subscriptions: await itemsOf(channelId), departments: departments.map(({ code, name }) => ({ code, name })), organizationWide: true };
}

/** An admin sets what an organization channel receives (users' own channels are theirs to set). */
export async function setChannelSubscriptions(caller: Caller, channelId: number, items: SubscriptionItem[]): Promise<SubscriptionsView> {
  await db.$transaction(async (tx) => {
    const channel = await tx.webhook.findUnique({ where: { id: channelId }, select: { id: true, userId: true } });
    if (!channel || channel.userId !== null) throw new NotFoundError(`No channel ${channelId}`);
    const before = await tx.notificationSubscription.count({ where: { channelId } });
    await replace(tx, channelId, items, null);
    await audit(tx, { actor: caller, action: "webhook.subscriptions", entity: "webhook", entityId: channelId, before: { count: before }, after: { subscriptions: items } });
  });
  return getChannelSubscriptions(channelId);
}

/** The user's subscriptions, with the owner defaults they have not opted out of shown as subscribed. */
export async function getMySubscriptions(caller: UserCaller): Promise<MySubscriptionsView> {
  const channel = await db.webhook.findUnique({ where: { userId: caller.id }, select: { id: true, active: true } });
  const departments = await visibleDepartments(caller);
  const owned = await db.department.findMany(ownedWhere(caller.id));
  const defaults = ownerDefaults(owned);
  const optedOut = new Set((await db.notificationOptOut.findMany({ where: { userId: caller.id } })).map((o) => `${o.kind}:${o.departmentId}`));
  const own = await itemsOf(channel?.id ?? null);
  const seen = new Set(own.map((i) => `${i.kind}:${i.department}`));
  const implied = [...defaults].filter(([key, d]) => !optedOut.has(key) && !seen.has(`${d.kind}:${d.code}`)).map(([, d]): SubscriptionItem => ({ kind: d.kind, department: d.code }));
  return {
    email: caller.email,
    active: channel?.active ?? true,
    owned: owned.map((d) => d.code),
    subscriptions: implied.length ? [...own, ...implied].sort((a, b) => a.kind.localeCompare(b.kind) || (a.department ?? "").localeCompare(b.department ?? "")) : own,
    departments: departments.map(({ code, name }) => ({ code, name })),
    organizationWide: caller.departmentIds === null,
  };
}

/**
 * Sets the user's own email subscriptions. Saving (re)activates their email channel: this is also how a user who
 * unsubscribed through a mail's link subscribes again.
 */
export async function setMySubscriptions(caller: UserCaller, items: SubscriptionItem[]): Promise<MySubscriptionsView> {
  await db.$transaction(async (tx) => {
    const url = `mailto:${caller.email}`;
    const channel = await tx.webhook.upsert({
      where: { userId: caller.id },
      create: { type: "email", url, userId: caller.id },
      update: { url, active: true },
    });
    await replace(tx, channel.id, items, caller, new Set(ownerDefaults(await tx.department.findMany(ownedWhere(caller.id))).keys()));
    await audit(tx, { actor: caller, action: "subscriptions.update", entity: "webhook", entityId: channel.id, after: { subscriptions: items } });
  });
  return getMySubscriptions(caller);
}
