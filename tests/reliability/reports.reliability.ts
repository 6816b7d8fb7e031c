// Scheduled reports across instances (issue 21), on the harness of tests/reliability/instances.ts: two worker
// instances on one database, a real SMTP peer in this process.
// (a) Many "reports.send" runs at once across the two instances queue the due report exactly once.
// (b) Its delivery survives a SIGKILL: while the SMTP peer holds the message unanswered (progress point: the peer
//     has the message), both instances are SIGKILLed — so the one sending it certainly is; after a restart the
//     delivery is retried once its lease ends and arrives exactly once.
import { hold, mailbox, smtpServer } from "@/tests/helpers/smtp-peer";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { setChannelSubscriptions } from "@/lib/alerts/subscriptions";
import { createWebhook } from "@/lib/alerts/webhooks";
import { pool } from "@/lib/db";
import { enqueueJob, stopWorker } from "@/lib/jobs";
import { addDaysTo, dayIn } from "@/lib/periods";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { Instances } from "./instances";
import { waitFor } from "./helpers";

// A zone where it is about noon now, so the daily digest (due from 07:00 local) is due whenever this runs.
const offset = 12 - new Date().getUTCHours();
const TZ = offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const RUNS = 6;

const instances = new Instances({
  databaseUrl: process.env.DATABASE_URL!,
  kind: "worker",
  label: "reports",
  env: { SMTP_HOST: process.env.SMTP_HOST!, SMTP_PORT: process.env.SMTP_PORT!, SMTP_STARTTLS: "off", SMTP_FROM: process.env.SMTP_FROM!, NEXTAUTH_URL: "http://localhost:3000" },
});

let yesterday = "";

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Reports Org', 'USD', $1, now())", [TZ]);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  const dept = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, updated_at) VALUES ('OPS', 'Operations', now()) RETURNING id")).rows[0]!.id;
  const agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('bot', 'Bot', $1, now()) RETURNING id", [dept])).rows[0]!.id;
  yesterday = addDaysTo(dayIn(TZ, new Date()), -1);
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', 'a', ($1::date + interval '12 hours') AT TIME ZONE $2, 'llm.call', $3, $4, 42.5)", [yesterday, TZ, agent, dept]);
  await rebuildRollups(pool);
  const channel = (await createWebhook(admin, { type: "email", to: "finance@example.com" })).id;
  await setChannelSubscriptions(admin, channel, [{ kind: "digest.daily", department: null }]);
  await instances.startAll(2);
}, 180_000);

afterAll(async () => {
  hold.on = false;
  await stopWorker(1_000);
  await instances.stopAll();
  await new Promise<void>((resolve) => smtpServer.close(() => resolve()));
});

const deliveries = async () =>
  (await pool.query<{ id: number; status: string; attempts: number }>("SELECT id, status, attempts FROM webhook_deliveries WHERE event = 'digest.daily' ORDER BY id")).rows;

describe("scheduled reports on two instances", () => {
  test("each report is queued once however many runs race, and its delivery survives a SIGKILL mid-send", async () => {
    hold.on = true;
    const ids = await Promise.all(Array.from({ length: RUNS }, () => enqueueJob("reports.send")));
    await waitFor("every reports.send run to finish", async () => {
      const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) AND state = 'completed'", [ids]);
      return rows[0]!.n === RUNS;
    });
    const marks = await pool.query<{ key: string }>("SELECT key FROM job_effects WHERE key LIKE 'report:%'");
    expect(marks.rows.map((r) => r.key)).toEqual([`report:digest.daily:${yesterday}:org`]);
    expect(await deliveries()).toHaveLength(1);

    // Progress point: the SMTP peer has the message and is not answering; the sender waits.
    await waitFor("an instance to be sending the digest", async () => hold.held > 0);
    await Promise.all([instances.kill(0), instances.kill(1)]);
    const [stuck] = await deliveries();
    expect(stuck).toMatchObject({ status: "pending", attempts: 0 }); // the attempt died with its process
    expect(mailbox).toHaveLength(0);

    hold.on = false;
    await instances.start(0);
    const [done] = await waitFor("the delivery to be retried after its lease", async () => ((await deliveries())[0]?.status === "delivered" ? deliveries() : null));
    expect(done).toMatchObject({ status: "delivered", attempts: 1 });
    expect(mailbox.map((m) => m.mail.subject)).toEqual([`[AgentLedger] Daily spend digest: Reports Org, ${yesterday}`]);
    console.log(`[reliability] reports: ${JSON.stringify({ runs: RUNS, timeZone: TZ, held: hold.held, delivered: done })}`);
  });
});
