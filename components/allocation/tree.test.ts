import { describe, expect, it } from "vitest";
import { subtreeCodes, treeOrder } from "./tree";

const d = (code: string, parent: string | null) => ({ code, parent });

describe("treeOrder", () => {
  it("puts each department after its parent, children by code, with depth", () => {
    const rows = treeOrder([d("SUPPORT", "OPS"), d("EXEC", null), d("OPS", "EXEC"), d("FIN", "EXEC"), d("ZZ", null)]);
    expect(rows.map((r) => `${r.department.code}:${r.depth}`)).toEqual(["EXEC:0", "FIN:1", "OPS:1", "SUPPORT:2", "ZZ:0"]);
  });

  it("shows a department whose parent is not listed at the top level, and survives a cycle", () => {
    expect(treeOrder([d("A", "MISSING")]).map((r) => r.depth)).toEqual([0]);
    expect(treeOrder([d("A", "B"), d("B", "A")]).map((r) => r.department.code).sort()).toEqual(["A", "B"]);
  });
});

describe("subtreeCodes", () => {
  it("is the department and all its descendants", () => {
    expect([...subtreeCodes([d("EXEC", null), d("OPS", "EXEC"), d("SUPPORT", "OPS"), d("FIN", "EXEC")], "OPS")].sort()).toEqual(["OPS", "SUPPORT"]);
  });
});
