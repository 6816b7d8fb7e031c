import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

describe("billing OpenAPI registration", () => {
  it("documents every invoice route and the FOCUS export", () => {
    const paths = Object.keys((openApiDocument() as { paths: Record<string, unknown> }).paths);
    for (const path of ["/api/v1/invoices", "/api/v1/invoices/drafts", "/api/v1/invoices/{id}", "/api/v1/invoices/{id}/adjustments", "/api/v1/invoices/{id}/finalize", "/api/v1/invoices/{id}/void", "/api/v1/invoices/{id}/pdf", "/api/v1/invoices/{id}/csv", "/api/v1/invoices/bulk-finalize", "/api/v1/invoices/bulk-send", "/api/v1/invoices/{id}/send", "/api/v1/invoices/{id}/sends", "/api/v1/approvals", "/api/v1/approvals/{id}/approve", "/api/v1/approvals/{id}/reject", "/api/v1/approvals/settings", "/api/v1/exports/focus", "/api/v1/invoices/{id}/credit-notes", "/api/v1/credit-notes", "/api/v1/credit-notes/{id}", "/api/v1/credit-notes/{id}/pdf", "/api/v1/tax-rates", "/api/v1/tax-rates/{id}"]) {
      expect(paths).toContain(path);
    }
  });
});
