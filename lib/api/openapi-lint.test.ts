// The generated OpenAPI document passes Redocly's "recommended" ruleset with zero errors (issue 23). Warnings are
// printed, not failed on: they are style advice (e.g. a 4xx example per operation).
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { expect, it } from "vitest";
import { openApiDocument } from "./openapi";

it("lints clean against Redocly's recommended rules (no errors)", async () => {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({ source: JSON.stringify(openApiDocument()), absoluteRef: "openapi.json", config });
  const describe = (p: (typeof problems)[number]) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`;
  const warnings = problems.filter((p) => p.severity === "warn");
  if (warnings.length) console.info(`${warnings.length} lint warnings, e.g.\n${warnings.slice(0, 5).map(describe).join("\n")}`);
  expect(problems.filter((p) => p.severity === "error").map(describe)).toEqual([]);
}, 60_000); // the lint alone takes ~5 s on a loaded 2-core machine
