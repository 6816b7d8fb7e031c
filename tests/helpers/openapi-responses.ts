// Checks an HTTP response against the OpenAPI document's declaration of it (issue 23): the status must be declared
// for the operation, and a JSON body must satisfy the declared schema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
import Ajv2020 from "ajv/dist/2020";
import { openApiDocument } from "@/lib/api/openapi";

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> };
// strict: false — OpenAPI adds keywords (example, discriminator mapping) that are not JSON Schema vocabulary.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(doc as object, "openapi");
const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, "[^/]+")}$`),
}));
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** Why a response does not match the document, or null. Paths the document does not cover return null (the coverage test reports them). */
export function responseProblem(method: string, url: string, status: number, contentType: string | null, body: string): string | null {
  const path = url.split("?")[0]!;
  // Prefer a literal path over a template (/alerts/webhooks vs /alerts/{id}).
  const match = templates.find((t) => t.template === path) ?? templates.find((t) => t.pattern.test(path));
  const operation = match && doc.paths[match.template]![method.toLowerCase()];
  if (!match || !operation) return null;
  const declared = operation.responses?.[String(status)];
  if (!declared) return `${method} ${match.template}: status ${status} is not declared (declared: ${Object.keys(operation.responses ?? {}).join(", ")})`;
  if (!contentType?.includes("application/json") || !declared.content?.["application/json"]) return null;
  const validate = ajv.getSchema(`openapi#/${pointer("paths", match.template, method.toLowerCase(), "responses", String(status), "content", "application/json", "schema")}`);
  if (!validate) return null;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return `${method} ${match.template} ${status}: body is not JSON`;
  }
  if (validate(value)) return null;
  return `${method} ${match.template} ${status}: ${ajv.errorsText(validate.errors?.slice(0, 3), { dataVar: "body" })}`;
}
