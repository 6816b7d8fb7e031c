// Who receives what (issue 21): a user's own email subscriptions and an admin's channel subscriptions decide which
// channel gets which alert; department-scoped users subscribe within their departments only; bad input changes nothing.
import { beforeAll, describe, expect, test } from "vitest";
import { BadRequestError, ForbiddenError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { evaluateAlerts } from "./evaluate";
import { getMySubscriptions, setChannelSubscriptions, setMySubscriptions } from "./subscriptions";
import { createWebhook, listWebhooks } from "./webhooks";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
let viewer: UserCaller;
let scoped: UserCaller;
const ids: Record<string, number> = {};

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now()), (2, 'vera@test', 'Vera', 'viewer', now()), (3, 'sam@test', 'Sam', 'viewer', now())");
  for (const code of ["MKT", "OPS"]) {
    ids[code] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ($1, $1, 100, now()) RETURNING id", [code])).rows[0]!.id;
    const agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ($1, $1, $2, now()) RETURNING id", [`a-${code}`, ids[code]])).rows[0]!.id;
    // 60.00 of a 100.00 budget in November: the 50 % threshold of each department.
    await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, '2026-11-10T12:00:00Z', 'agent.action', $2, $3, 60)", [code, agent, ids[code]]);
  }
  await pool.query("INSERT INTO user_departments (user_id, department_id) VALUES (3, $1)", [ids.OPS]);
  viewer = { kind: "user", id: 2, email: "vera@test", name: "Vera", role: "viewer", departmentIds: null };
  scoped = { kind: "user", id: 3, email: "sam@test", name: "Sam", role: "viewer", departmentIds: [ids.OPS!] };
  await rebuildRollups(pool);
});

const deliveriesTo = async (channelId: number) =>
  (await db.webhookDelivery.findMany({ where: { webhookId: channelId }, orderBy: { id: "asc" } })).map((d) => (d.payload as { alert: { key: string } }).alert.key);

describe("subscriptions", () => {
  test("each channel gets exactly the alerts it is subscribed to", async () => {
    const everything = await createWebhook(admin, "https://hooks.example.com/all");
    const digestsOnly = await createWebhook(admin, "https://hooks.example.com/digests");
    await setChannelSubscriptions(admin, digestsOnly.id, [{ kind: "digest.weekly", department: null }]);
    const mine = await setMySubscriptions(viewer, [{ kind: "budget", department: "MKT" }]);
    expect(mine).toMatchObject({ email: "vera@test", active: true, subscriptions: [{ kind: "budget", department: "MKT" }], organizationWide: true });
    const own = await db.webhook.findUniqueOrThrow({ where: { userId: viewer.id } });
    expect(own).toMatchObject({ type: "email", url: "mailto:vera@test", active: true });
    // The user's own channel is theirs: not in the admins' channel list.
    expect((await listWebhooks()).map((w) => w.id)).toEqual([everything.id, digestsOnly.id]);

    await evaluateAlerts(new Date("2026-11-20T12:00:00Z"));
    expect(await deliveriesTo(everything.id)).toEqual(expect.arrayContaining(["budget:MKT:2026-11:50", "budget:OPS:2026-11:50"]));
    expect(await deliveriesTo(digestsOnly.id)).toEqual([]);
    expect(await deliveriesTo(own.id)).toEqual(["budget:MKT:2026-11:50"]);
  });

  test("a department-scoped user subscribes within their departments only; bad input changes nothing", async () => {
    await setMySubscriptions(scoped, [{ kind: "digest.daily", department: "OPS" }]);
    const before = await getMySubscriptions(scoped);
    expect(before).toMatchObject({ subscriptions: [{ kind: "digest.daily", department: "OPS" }], departments: [{ code: "OPS", name: "OPS" }], organizationWide: false });
    await expect(setMySubscriptions(scoped, [{ kind: "budget", department: null }])).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setMySubscriptions(scoped, [{ kind: "budget", department: "MKT" }])).rejects.toBeInstanceOf(ForbiddenError);
    const unknown = await setMySubscriptions(scoped, [{ kind: "budget", department: "OPS" }, { kind: "budget", department: "NOPE" }]).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect((unknown as BadRequestError).details).toEqual([{ path: "subscriptions.1.department", message: "No active department NOPE" }]);
    expect(await getMySubscriptions(scoped)).toEqual(before);
  });

  test("saving re-activates an address unsubscribed by link; a user's channel is not an admin's to edit", async () => {
    const own = await db.webhook.findUniqueOrThrow({ where: { userId: viewer.id } });
    await db.webhook.update({ where: { id: own.id }, data: { active: false } });
    expect((await getMySubscriptions(viewer)).active).toBe(false);
    expect((await setMySubscriptions(viewer, [{ kind: "anomaly", department: null }])).active).toBe(true);
    await expect(setChannelSubscriptions(admin, own.id, [])).rejects.toThrow(`No channel ${own.id}`);
  });
});
