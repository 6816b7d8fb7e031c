// Saved views: a user's named page + query string, optionally shared with the organization, and the user's landing view.
// Only the owner edits or deletes a view; anyone who can read it (owner, or everyone when shared) may make it their default.
import "server-only";
import { ForbiddenError, NotFoundError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import type { SavedViewDto, ViewCreate, ViewPatch } from "./schemas";

type Row = { id: number; name: string; path: string; query: string; shared: boolean; ownerId: number; updatedAt: Date; owner: { id: number; name: string } };

const select = { id: true, name: true, path: true, query: true, shared: true, ownerId: true, updatedAt: true, owner: { select: { id: true, name: true } } } as const;

export function viewHref(v: { path: string; query: string }): string {
  return v.query ? `${v.path}?${v.query}` : v.path;
}

function dto(v: Row, caller: UserCaller, defaultViewId: number | null): SavedViewDto {
  return {
    id: v.id,
    name: v.name,
    path: v.path,
    query: v.query,
    shared: v.shared,
    owner: v.owner,
    mine: v.ownerId === caller.id,
    isDefault: v.id === defaultViewId,
    href: viewHref(v),
    updatedAt: v.updatedAt.toISOString(),
  };
}

const readable = (caller: UserCaller) => ({ OR: [{ ownerId: caller.id }, { shared: true }] });

async function defaultViewId(userId: number): Promise<number | null> {
  return (await db.user.findUnique({ where: { id: userId }, select: { defaultViewId: true } }))?.defaultViewId ?? null;
}

/** The caller's own views and those shared with the organization, by name. */
export async function listViews(caller: UserCaller, path?: string) {
  const [rows, def] = await Promise.all([
    db.savedView.findMany({ where: { ...readable(caller), ...(path ? { path } : {}) }, select, orderBy: [{ name: "asc" }, { id: "asc" }] }),
    defaultViewId(caller.id),
  ]);
  return { views: rows.map((v) => dto(v, caller, def)) };
}

export async function createView(caller: UserCaller, input: ViewCreate): Promise<SavedViewDto> {
  return db.$transaction(async (tx) => {
    const view = await tx.savedView.create({ data: { name: input.name, path: input.path, query: input.query, shared: input.shared, ownerId: caller.id }, select });
    if (input.isDefault) await tx.user.update({ where: { id: caller.id }, data: { defaultViewId: view.id } });
    return dto(view, caller, input.isDefault ? view.id : await defaultViewId(caller.id));
  });
}

/** A view the caller can read, else 404 (another user's private view is not revealed). */
async function readableView(caller: UserCaller, id: number): Promise<Row> {
  const view = await db.savedView.findFirst({ where: { id, ...readable(caller) }, select });
  if (!view) throw new NotFoundError(`View ${id} not found`);
  return view;
}

export async function updateView(caller: UserCaller, id: number, patch: ViewPatch): Promise<SavedViewDto> {
  const view = await readableView(caller, id);
  const { isDefault, ...fields } = patch;
  const edits = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  if (Object.keys(edits).length && view.ownerId !== caller.id) throw new ForbiddenError("Only the view's owner can change it");
  return db.$transaction(async (tx) => {
    const updated = Object.keys(edits).length ? await tx.savedView.update({ where: { id }, data: edits, select }) : view;
    if (isDefault !== undefined) {
      const current = await tx.user.findUnique({ where: { id: caller.id }, select: { defaultViewId: true } });
      if (isDefault || current?.defaultViewId === id) await tx.user.update({ where: { id: caller.id }, data: { defaultViewId: isDefault ? id : null } });
    }
    const def = (await tx.user.findUnique({ where: { id: caller.id }, select: { defaultViewId: true } }))?.defaultViewId ?? null;
    return dto(updated, caller, def);
  });
}

export async function deleteView(caller: UserCaller, id: number): Promise<{ deleted: number }> {
  const view = await readableView(caller, id);
  if (view.ownerId !== caller.id) throw new ForbiddenError("Only the view's owner can delete it");
  await db.savedView.delete({ where: { id } });
  return { deleted: id };
}

/** Where / sends the user: their default view's link, if they can still read it (it may have been unshared). */
export async function landingHref(caller: UserCaller): Promise<string | null> {
  const def = await defaultViewId(caller.id);
  if (def === null) return null;
  const view = await db.savedView.findFirst({ where: { id: def, ...readable(caller) }, select: { path: true, query: true } });
  return view ? viewHref(view) : null;
}
