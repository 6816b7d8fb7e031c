// Security issue 14, items 4, 13, 8, 9 over real HTTP against real PostgreSQL: the outbound-URL policy (save time
// and connect time, no redirects, no response bodies in stored errors, a new host needs the secret again), request
// body caps on every route including next-auth's, and the file import's decompressed-size, line and time caps.
// The app runs WITHOUT the loopback test setting; the in-process parts (a connector run against a local fake)
// run with it, imported first.
import "@/tests/helpers/allow-loopback-http";
import dns from "node:dns/promises";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encryptSecret as encryptWebhookSecret } from "@/lib/alerts/signing";
import { deliverDueWebhooks } from "@/lib/alerts/webhooks";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, runClaimed } from "@/lib/connectors/run";
import { db, pool } from "@/lib/db";
import { addressCategory } from "@/lib/net/outbound-url";
import { login } from "./authorization/fixture";
import { startAppServer, type AppServer } from "./helpers/app-server";

const ADMIN = "admin@outbound.test";
const PASSWORD = "correct horse battery staple";
const STORED_KEY = "sk-stored-secret-never-leaves";
const MB = 1024 * 1024;

let app: AppServer;
let admin: Record<string, string>;
/** A local listener standing in for an internal service: it records every request it receives. */
let listener: http.Server;
let listenerPort = 0;
const received: string[] = [];

beforeAll(async () => {
  listener = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  listenerPort = (listener.address() as AddressInfo).port;
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
  await pool.query("INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ($1, 'Admin', $2, 'admin', now())", [ADMIN, await bcrypt.hash(PASSWORD, 4)]);
  app = await startAppServer({
    databaseUrl: process.env.DATABASE_URL!,
    env: {
      OUTBOUND_ALLOW_LOOPBACK_HTTP: "false",
      CONNECTOR_SCHEDULER: "off",
      IMPORT_MAX_ROWS: "1000000",
      IMPORT_MAX_DECOMPRESSED_BYTES: String(16 * MB),
      IMPORT_MAX_SECONDS: "4",
      IMPORT_MAX_UPLOAD_BYTES: String(64 * MB),
    },
  });
  const cookie = await login(app.baseUrl, ADMIN, PASSWORD);
  if (!cookie) throw new Error("admin sign-in failed");
  admin = { cookie, origin: app.baseUrl };
});

afterAll(async () => {
  await app?.stop();
  await new Promise((r) => listener?.close(r));
});

async function connectorRow(baseUrl: string): Promise<number> {
  const c = await db.connector.create({
    data: { name: `c ${baseUrl}`, provider: "openai", dataset: "usage", baseUrl, apiKeyEncrypted: encryptSecret(STORED_KEY), agentKey: "openai-org", backfillDays: 1 },
  });
  return c.id;
}

const json = (method: string, body: unknown) => ({ method, headers: { ...admin, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("outbound URL policy (connectors, webhooks)", () => {
  test("PATCH baseUrl to a loopback listener, a file: URL or the metadata address is a 400 naming the field; nothing changes", async () => {
    const id = await connectorRow("https://api.openai.com");
    for (const baseUrl of [`http://127.0.0.1:${listenerPort}`, `https://127.0.0.1:${listenerPort}`, "file:///etc/passwd", "https://169.254.169.254/latest", "https://[::ffff:127.0.0.1]/"]) {
      const res = await fetch(`${app.baseUrl}/api/v1/connectors/${id}`, json("PATCH", { baseUrl, apiKey: "sk-new" }));
      expect(res.status, baseUrl).toBe(400);
      const body = (await res.json()) as { error: { details: { path: string; message: string }[] } };
      expect(body.error.details[0]!.path).toBe("baseUrl");
    }
    expect((await db.connector.findUniqueOrThrow({ where: { id } })).baseUrl).toBe("https://api.openai.com");
  });

  test("Run now against a host name that resolves to this machine is refused at connect time: the listener receives nothing, the key never leaves", async () => {
    // The machine's own name passes the URL check (it is not an IP or "localhost") but resolves to a non-public
    // address, as a rebinding name would.
    const name = os.hostname();
    const resolved = await dns.lookup(name, { all: true });
    expect(resolved.every((a) => addressCategory(a.address) !== null), `${name} must resolve to a non-public address here`).toBe(true);
    const id = await connectorRow(`https://${name}:${listenerPort}`);
    const res = await fetch(`${app.baseUrl}/api/v1/connectors/${id}/run`, { method: "POST", headers: admin });
    expect(res.status).toBe(200);
    const run = (await res.json()) as { status: string; error: string };
    expect(run.status).toBe("failed");
    expect(run.error).toContain("refused by the outbound policy");
    expect(received).toEqual([]);
  });

  test("changing a connector's host without re-entering its key is a 400 naming apiKey; with the key it is saved", async () => {
    const id = await connectorRow("https://api.openai.com");
    const without = await fetch(`${app.baseUrl}/api/v1/connectors/${id}`, json("PATCH", { baseUrl: "https://usage.example.com" }));
    expect(without.status).toBe(400);
    expect(((await without.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe("apiKey");
    expect((await db.connector.findUniqueOrThrow({ where: { id } })).baseUrl).toBe("https://api.openai.com");
    // Same origin, another path: no key needed.
    expect((await fetch(`${app.baseUrl}/api/v1/connectors/${id}`, json("PATCH", { baseUrl: "https://api.openai.com/" }))).status).toBe(200);
    const withKey = await fetch(`${app.baseUrl}/api/v1/connectors/${id}`, json("PATCH", { baseUrl: "https://usage.example.com", apiKey: "sk-for-the-new-host" }));
    expect(withKey.status).toBe(200);
  });

  test("a webhook on an internal address is refused when saved (400) and when delivered", async () => {
    for (const url of [`http://127.0.0.1:${listenerPort}/hook`, "https://169.254.169.254/hook", "https://[fd00:ec2::254]/hook", "https://10.0.0.8/hook"]) {
      const res = await fetch(`${app.baseUrl}/api/v1/alerts/webhooks`, json("POST", { url }));
      expect(res.status, url).toBe(400);
      expect(((await res.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe("url");
    }
    expect(await db.webhook.count()).toBe(0);
    // A row saved before the policy existed: delivery checks again and sends nothing.
    const hook = await db.webhook.create({ data: { url: "https://169.254.169.254/hook", secretEncrypted: encryptWebhookSecret("whsec-test", process.env.NEXTAUTH_SECRET!) } });
    await db.webhookDelivery.create({ data: { webhookId: hook.id, event: "alert.opened", payload: {}, nextAttemptAt: new Date(0) } });
    expect(await deliverDueWebhooks(new Date())).toBe(1);
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    expect(delivery.lastError).toContain("refused by the outbound policy");
    expect(delivery.responseStatus).toBeNull();
  });
});

describe("responses from an allowed host (in-process run, loopback allowed)", () => {
  let fake: http.Server;
  let fakePort = 0;
  let mode: "redirect" | "unauthorized" = "redirect";

  beforeAll(async () => {
    fake = http.createServer((_req, res) => {
      if (mode === "redirect") res.writeHead(302, { location: `http://127.0.0.1:${listenerPort}/stolen` }).end();
      else res.writeHead(401, { "content-type": "text/plain" }).end("BODY-MARKER internal detail from the provider");
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    fakePort = (fake.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => fake.close(r));
  });

  async function runOnce(id: number) {
    expect(await claim(id, false)).toBe(true);
    const runId = await runClaimed(id, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 5_000 } });
    return db.connectorRun.findUniqueOrThrow({ where: { id: runId } });
  }

  test("a 302 is not followed: the key is not sent onward", async () => {
    mode = "redirect";
    const run = await runOnce(await connectorRow(`http://127.0.0.1:${fakePort}`));
    expect(run.status).toBe("failed");
    expect(run.error).toContain("HTTP 302");
    expect(received).toEqual([]);
  });

  test("the response body is never stored in the run's error", async () => {
    mode = "unauthorized";
    const run = await runOnce(await connectorRow(`http://127.0.0.1:${fakePort}`));
    expect(run.status).toBe("failed");
    expect(run.error).toContain("HTTP 401");
    expect(run.error).not.toContain("BODY-MARKER");
  });
});

/** Resident memory of the app process, in bytes. */
function rss(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  return Number(line![1]) * 1024;
}

/**
 * Streams `total` bytes chunked (no Content-Length), generated lazily, until the server answers; returns the status,
 * the time to the answer and the app's peak RSS meanwhile.
 */
async function streamHuge(path: string, headers: Record<string, string>, total: number) {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= total) return this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  const started = Date.now();
  let peak = rss(app.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rss(app.pid))), 50);
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(path, app.baseUrl);
      const req = http.request(url, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
        body.destroy();
      });
      req.on("error", (e) => reject(e));
      body.pipe(req);
    });
    const result = { status, ms: Date.now() - started, peak, sent };
    console.info(`${path}: HTTP ${status} after ${result.ms} ms, ${Math.round(sent / MB)} MB sent, app RSS peak ${Math.round(peak / MB)} MB`);
    return result;
  } finally {
    clearInterval(sampler);
  }
}

describe("request body caps", () => {
  const HUGE = 300 * MB;

  test("300 MB streamed to next-auth's credentials callback: 413 quickly, memory flat", async () => {
    const before = rss(app.pid);
    const r = await streamHuge("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded" }, HUGE);
    expect(r.status).toBe(413);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.peak - before).toBeLessThan(100 * MB);
    expect(r.sent).toBeLessThan(HUGE);
  }, 120_000);

  test("300 MB streamed to a withRoute JSON route: 413 quickly, memory flat", async () => {
    const before = rss(app.pid);
    const r = await streamHuge("/api/v1/alerts/webhooks", { ...admin, "content-type": "application/json" }, HUGE);
    expect(r.status).toBe(413);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.peak - before).toBeLessThan(100 * MB);
  }, 120_000);

  test.each(["/api/auth/callback/credentials", "/api/v1/alerts/webhooks", "/api/v1/events"])("a Content-Length over the cap on %s is a 413 without the body being read", async (path) => {
    // 300 MB announced, 10 bytes sent: only a server that does not wait for the body can answer.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL(path, app.baseUrl), { method: "POST", headers: { ...admin, "content-type": "application/json", "content-length": String(HUGE) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on("error", reject);
      req.setTimeout(5_000, () => req.destroy(new Error("no answer within 5 s: the server waited for the body")));
      req.write("0123456789");
    });
    expect(status).toBe(413);
  });

  test("a small sign-in still works through the cap", async () => {
    expect(await login(app.baseUrl, ADMIN, PASSWORD)).not.toBeNull();
  });
});

describe("file import caps", () => {
  async function importGzip(data: Buffer) {
    const res = await fetch(`${app.baseUrl}/api/v1/imports?format=ndjson&fileName=bomb.ndjson.gz`, {
      method: "POST",
      headers: { ...admin, "content-type": "application/x-ndjson", "content-encoding": "gzip" },
      body: gzipSync(data),
    });
    return { status: res.status, body: (await res.json()) as { error: { message: string } } };
  }

  test("a gzip bomb of newlines is a 413 naming IMPORT_MAX_ROWS, fast", async () => {
    const started = Date.now();
    const r = await importGzip(Buffer.alloc(20 * MB, "\n"));
    expect(r.status).toBe(413);
    expect(r.body.error.message).toContain("IMPORT_MAX_ROWS (1000000 lines, blank lines included)");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await db.importJob.findFirstOrThrow({ orderBy: { id: "desc" } })).toMatchObject({ status: "failed" });
  }, 60_000);

  test("more decompressed bytes than the cap is a 413 naming IMPORT_MAX_DECOMPRESSED_BYTES", async () => {
    // Blank (space-only) lines of 64 KB: few lines, many bytes.
    const line = Buffer.concat([Buffer.alloc(64 * 1024 - 1, " "), Buffer.from("\n")]);
    const r = await importGzip(Buffer.concat(Array(20 * 16).fill(line)));
    expect(r.status).toBe(413);
    expect(r.body.error.message).toContain(`IMPORT_MAX_DECOMPRESSED_BYTES (${16 * MB} bytes after decompression)`);
  }, 60_000);

  test("an upload that takes longer than IMPORT_MAX_SECONDS is a 413 naming it", async () => {
    const status = await new Promise<{ status: number; message: string }>((resolve, reject) => {
      const req = http.request(new URL("/api/v1/imports?format=ndjson", app.baseUrl), { method: "POST", headers: { ...admin, "content-type": "application/x-ndjson" } }, (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d));
        res.on("end", () => {
          resolve({ status: res.statusCode!, message: (JSON.parse(text) as { error: { message: string } }).error.message });
          req.destroy();
        });
      });
      req.on("error", reject);
      req.write("\n"); // then nothing more: a stalled upload
    });
    expect(status.status).toBe(413);
    expect(status.message).toContain("IMPORT_MAX_SECONDS (4 s of processing)");
  }, 30_000);

  test("an upload over IMPORT_MAX_UPLOAD_BYTES by Content-Length is a 413 naming it", async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(new URL("/api/v1/imports?format=ndjson", app.baseUrl), { method: "POST", headers: { ...admin, "content-type": "application/x-ndjson", "content-length": String(100 * MB) } }, (r) => {
        r.resume();
        resolve(r.statusCode!);
        req.destroy();
      });
      req.on("error", reject);
      req.write("\n");
    });
    expect(res).toBe(413);
  });
});
