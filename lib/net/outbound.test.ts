// The outbound-URL policy: address classes, URL shapes, and the connect-time check after DNS resolution (with an
// injected lookup that maps a public-looking name to an internal address, as DNS rebinding would). Real sockets:
// a local http listener must receive nothing when a request is refused, and a self-signed https server proves
// https works through the policy only when loopback is allowed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, LookupFunction } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { OutboundPolicyError, outboundFetch } from "./outbound";
import { addressCategory, outboundUrlRefusal } from "./outbound-url";

describe("address classes", () => {
  test.each([
    ["127.0.0.1", "loopback"],
    ["127.1.2.3", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared (CGNAT)"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast or reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd00:ec2::254", "unique-local (includes cloud metadata fd00:ec2::254)"],
    ["fe80::1%eth0", "link-local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link-local (cloud metadata)"],
    ["::ffff:a00:1", "private"],
    ["64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"],
    ["2002:0a00:0001::1", "private"],
    ["::10.0.0.1", "reserved"],
  ])("%s is %s", (ip, category) => {
    expect(addressCategory(ip)).toBe(category);
  });

  test.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("%s is public", (ip) => {
    expect(addressCategory(ip)).toBeNull();
  });
});

describe("URL shapes", () => {
  test.each([
    ["file:///etc/passwd", "must be an https URL"],
    ["ftp://example.com/", "must be an https URL"],
    ["http://example.com/", "must be an https URL"],
    ["http://127.0.0.1:8080/", "must be an https URL"],
    ["https://127.0.0.1/", "must not point to this machine (loopback)"],
    ["https://localhost/", "must not point to this machine (loopback)"],
    ["https://2130706433/", "must not point to this machine (loopback)"],
    ["https://[::ffff:127.0.0.1]/", "must not point to this machine (loopback)"],
    ["https://169.254.169.254/latest/meta-data/", "must not point to an internal address: the address is link-local (cloud metadata)"],
    ["https://[fd00:ec2::254]/", "must not point to an internal address: the address is unique-local (includes cloud metadata fd00:ec2::254)"],
    ["https://10.0.0.5/", "must not point to an internal address: the address is private"],
    ["https://user:pw@api.example.com/", "must not contain credentials"],
    ["not a url", "not a valid URL"],
  ])("%s is refused: %s", (url, reason) => {
    expect(outboundUrlRefusal(url, false)).toBe(reason);
  });

  test("https to a public name passes; the loopback test setting admits http and https to loopback only", () => {
    expect(outboundUrlRefusal("https://api.openai.com/", false)).toBeNull();
    expect(outboundUrlRefusal("http://127.0.0.1:9/", true)).toBeNull();
    expect(outboundUrlRefusal("https://localhost:9/", true)).toBeNull();
    expect(outboundUrlRefusal("http://example.com/", true)).toBe("must be an https URL");
    expect(outboundUrlRefusal("https://10.0.0.5/", true)).toBe("must not point to an internal address: the address is private");
  });
});

/** A lookup that answers every name with `address`, as a rebinding DNS server would. */
const resolvesTo = (address: string): LookupFunction => (_hostname, options, callback) => {
  const family = address.includes(":") ? 6 : 4;
  if (options.all) callback(null, [{ address, family }]);
  else callback(null, address, family);
};

describe("connect-time check (injected DNS)", () => {
  let listener: http.Server;
  let port = 0;
  const received: string[] = [];

  beforeAll(async () => {
    listener = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} key=${req.headers["x-api-key"] ?? ""}`);
      res.writeHead(200).end("reached");
    });
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    port = (listener.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => listener.close(r));
  });

  test.each(["127.0.0.1", "10.0.0.5", "169.254.169.254", "::ffff:127.0.0.1", "fd00:ec2::254"])(
    "a public-looking name resolving to %s is refused before connecting",
    async (address) => {
      const attempt = outboundFetch(`https://api.rebind.example:${port}/v1/usage`, { headers: { "x-api-key": "sk-secret" }, lookup: resolvesTo(address), allowLoopbackHttp: false, timeoutMs: 2_000 });
      await expect(attempt).rejects.toBeInstanceOf(OutboundPolicyError);
      await expect(attempt).rejects.toThrow(/api\.rebind\.example resolves to a forbidden address/);
      expect(received).toEqual([]);
    },
  );

  test("the loopback setting admits loopback only: a name resolving to a private address stays refused", async () => {
    await expect(outboundFetch(`http://localhost:${port}/`, { lookup: resolvesTo("10.0.0.5"), allowLoopbackHttp: true })).rejects.toBeInstanceOf(OutboundPolicyError);
    expect(received).toEqual([]);
    const ok = await outboundFetch(`http://localhost:${port}/ok`, { lookup: resolvesTo("127.0.0.1"), allowLoopbackHttp: true });
    expect([ok.status, await ok.text()]).toEqual([200, "reached"]);
    expect(received).toEqual(["GET /ok key="]);
    received.length = 0;
  });

  test("a redirect is returned as it is, never followed", async () => {
    const redirector = http.createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/stolen` }).end("moved"));
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
    try {
      const res = await outboundFetch(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`, { headers: { "x-api-key": "sk-secret" }, allowLoopbackHttp: true });
      expect(res.status).toBe(302);
      expect(received).toEqual([]);
    } finally {
      await new Promise((r) => redirector.close(r));
    }
  });
});

describe("https through the policy (self-signed local server)", () => {
  let server: https.Server;
  let port = 0;
  let ca = "";
  let hits = 0;

  beforeAll(async () => {
    // Node cannot issue X.509 certificates itself; the openssl CLI is on every machine of this kind.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outbound-tls-"));
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,DNS:api.provider.test,IP:127.0.0.1"], { stdio: "ignore" });
    ca = fs.readFileSync(cert, "utf8");
    server = https.createServer({ key: fs.readFileSync(key), cert: ca }, (_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
    fs.rmSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  test("works when loopback is allowed, through the system resolver and through an injected one", async () => {
    const direct = await outboundFetch(`https://localhost:${port}/`, { ca, allowLoopbackHttp: true });
    expect(await direct.json()).toEqual({ ok: true });
    // A name only the injected lookup knows: proves the lookup in use is the policy's, and TLS checks the name.
    const named = await outboundFetch(`https://api.provider.test:${port}/`, { ca, allowLoopbackHttp: true, lookup: resolvesTo("127.0.0.1") });
    expect(named.status).toBe(200);
    expect(hits).toBe(2);
  });

  test("is refused when loopback is not allowed, at the URL check and at connect time", async () => {
    await expect(outboundFetch(`https://localhost:${port}/`, { ca, allowLoopbackHttp: false })).rejects.toThrow("the URL must not point to this machine (loopback)");
    await expect(outboundFetch(`https://api.provider.test:${port}/`, { ca, allowLoopbackHttp: false, lookup: resolvesTo("127.0.0.1") })).rejects.toThrow(/resolves to a forbidden address \(the address is loopback\)/);
    expect(hits).toBe(2);
  });
});
