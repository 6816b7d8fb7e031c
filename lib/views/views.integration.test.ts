// Saved views against PostgreSQL: owners edit and delete, shared views are readable by everyone (private ones by
// nobody else, reported as not found), any reader may make a view their landing view, unsharing or deleting a view
// stops it being anyone's landing view, and bad input is refused naming the field.
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { pool } from "@/lib/db";
import { viewCreate, viewPatch } from "./schemas";
import { createView, deleteView, landingHref, listViews, updateView } from "./views";

let alice: UserCaller;
let bob: UserCaller;

beforeAll(async () => {
  const { rows } = await pool.query<{ id: number; email: string; name: string }>(
    `INSERT INTO users (email, name, role, updated_at) VALUES ('alice@test', 'Alice', 'finance', now()), ('bob@test', 'Bob', 'viewer', now())
     RETURNING id, email, name`,
  );
  alice = { kind: "user", ...rows[0]!, role: "finance", departmentIds: null };
  bob = { kind: "user", ...rows[1]!, role: "viewer", departmentIds: null };
});

const create = (caller: UserCaller, body: Record<string, unknown>) => createView(caller, viewCreate.parse(body));

describe("saved views", () => {
  it("keeps a private view to its owner and a shared one for everyone", async () => {
    const mine = await create(alice, { name: "March by agent", path: "/usage", query: "from=2026-03-01&to=2026-03-31&groupBy=agent" });
    const shared = await create(alice, { name: "Support spend", path: "/usage", query: "department=SUPPORT", shared: true });
    expect(mine.href).toBe("/usage?from=2026-03-01&to=2026-03-31&groupBy=agent");
    expect((await listViews(alice, "/usage")).views.map((v) => v.name)).toEqual(["March by agent", "Support spend"]);
    const forBob = (await listViews(bob, "/usage")).views;
    expect(forBob.map((v) => [v.name, v.mine, v.owner.name])).toEqual([["Support spend", false, "Alice"]]);
    expect((await listViews(bob, "/workload")).views).toEqual([]);
    await expect(updateView(bob, mine.id, viewPatch.parse({ isDefault: true }))).rejects.toMatchObject({ status: 404 });
    await expect(updateView(bob, shared.id, viewPatch.parse({ name: "Mine now" }))).rejects.toMatchObject({ status: 403 });
    await expect(deleteView(bob, shared.id)).rejects.toMatchObject({ status: 403 });
  });

  it("sets a landing view, and forgets it when the view is unshared or deleted", async () => {
    const view = await create(alice, { name: "Landing", path: "/workload", query: "taskType=case&from=2026-01-01&to=2026-03-31", shared: true });
    expect(await landingHref(bob)).toBeNull();
    const set = await updateView(bob, view.id, viewPatch.parse({ isDefault: true }));
    expect(set.isDefault).toBe(true);
    expect(await landingHref(bob)).toBe("/workload?taskType=case&from=2026-01-01&to=2026-03-31");
    await updateView(alice, view.id, viewPatch.parse({ shared: false }));
    expect(await landingHref(bob)).toBeNull(); // no longer readable by Bob
    await updateView(alice, view.id, viewPatch.parse({ shared: true }));
    expect(await landingHref(bob)).not.toBeNull();
    await updateView(bob, view.id, viewPatch.parse({ isDefault: false }));
    expect(await landingHref(bob)).toBeNull();
    await create(alice, { name: "Own landing", path: "/", query: "from=2026-03-01&to=2026-03-31", isDefault: true });
    expect(await landingHref(alice)).toBe("/?from=2026-03-01&to=2026-03-31");
    await updateView(bob, view.id, viewPatch.parse({ isDefault: true }));
    await deleteView(alice, view.id);
    expect(await landingHref(bob)).toBeNull();
    expect((await pool.query("SELECT default_view_id FROM users WHERE id = $1", [bob.id])).rows[0].default_view_id).toBeNull();
  });

  it("refuses bad input, naming the field", () => {
    const issues = (body: unknown, schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } } = viewCreate) =>
      schema.safeParse(body).error?.issues.map((i) => i.path.join("."));
    expect(issues({ name: "x", path: "/admin/users" })).toEqual(["path"]);
    expect(issues({ name: "x", path: "https://evil.example/usage" })).toEqual(["path"]);
    expect(issues({ name: " ", path: "/usage" })).toEqual(["name"]);
    expect(issues({ name: "x", path: "/usage", query: "?a=1" })).toEqual(["query"]);
    expect(issues({ name: "x", path: "/usage", owner: 3 })).toEqual([""]);
    expect(issues({}, viewPatch)).toEqual([""]);
  });
});
