// Every /api/v1 route handler method on disk is in the generated OpenAPI document (STYLE.md "The contract").
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { openApiDocument } from "./openapi";

const apiDir = path.resolve(__dirname, "../../app/api/v1");
const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** Undocumented when this test was written: document them and drop them here (the test fails on a stale entry). */
const KNOWN_GAPS: string[] = [];

it("documents every route handler method", () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  const missing: string[] = [];
  for (const file of walk(apiDir).filter((f) => path.basename(f) === "route.ts")) {
    const source = fs.readFileSync(file, "utf8");
    const url = "/api/v1/" + path.relative(apiDir, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
    for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) {
      if (!doc.paths[url]?.[m[1]!.toLowerCase()]) missing.push(`${m[1]} ${url}`);
    }
  }
  expect(missing.filter((m) => !KNOWN_GAPS.includes(m)), "routes missing from the OpenAPI document").toEqual([]);
  expect(KNOWN_GAPS.filter((m) => !missing.includes(m)), "documented now: remove from KNOWN_GAPS").toEqual([]);
});

const SECURITY: Record<string, unknown> = {
  session: [{ sessionCookie: [] }],
  apiKey: [{ apiKey: [] }],
  either: [{ apiKey: [] }, { sessionCookie: [] }],
  public: [],
};

/** The auth mode of each exported handler, read from its withRoute options (a handler that dispatches to an API-key and a session withRoute is "either"). */
function authModes(source: string): Map<string, string> {
  const modes = new Map<string, string>();
  const dual = /auth:\s*"apiKey"/.test(source) && /auth:\s*"session"/.test(source);
  for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b(?=(.{0,300}))/gs)) {
    const direct = /^\s*=\s*withRoute(?:<[^(]*>)?\(\{\s*auth:\s*"(\w+)"/s.exec(m[2]!);
    modes.set(m[1]!.toLowerCase(), direct ? direct[1]! : dual ? "either" : "public");
  }
  return modes;
}

it("declares each operation's security as its route authenticates, and an operationId", () => {
  const doc = openApiDocument() as { security: unknown; paths: Record<string, Record<string, { security?: unknown; operationId?: string }>> };
  const wrong: string[] = [];
  for (const file of walk(apiDir).filter((f) => path.basename(f) === "route.ts")) {
    const url = "/api/v1/" + path.relative(apiDir, path.dirname(file)).split(path.sep).map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
    for (const [method, mode] of authModes(fs.readFileSync(file, "utf8"))) {
      const operation = doc.paths[url]?.[method];
      if (!operation) continue; // the test above reports it
      const effective = JSON.stringify(operation.security ?? doc.security);
      if (effective !== JSON.stringify(SECURITY[mode])) wrong.push(`${method.toUpperCase()} ${url}: route auth ${mode}, document ${effective}`);
    }
  }
  expect(wrong).toEqual([]);
  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
  expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
});
