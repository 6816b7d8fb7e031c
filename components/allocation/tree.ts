// The cost-center tree in display order: each department after its parent, children by code, with its depth.

type Node = { code: string; parent: string | null };

export function treeOrder<T extends Node>(departments: readonly T[]): { department: T; depth: number }[] {
  const codes = new Set(departments.map((d) => d.code));
  const children = new Map<string | null, T[]>();
  for (const d of [...departments].sort((a, b) => a.code.localeCompare(b.code))) {
    // A parent outside the list (e.g. out of a scoped user's departments) makes the department a root here.
    const parent = d.parent !== null && codes.has(d.parent) ? d.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const out: { department: T; depth: number }[] = [];
  const seen = new Set<string>();
  const visit = (d: T, depth: number) => {
    if (seen.has(d.code)) return; // the server refuses cycles; never loop on bad data anyway
    seen.add(d.code);
    out.push({ department: d, depth });
    for (const child of children.get(d.code) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  // Departments only reachable through a cycle still show, at the top level.
  for (const d of departments) if (!seen.has(d.code)) visit(d, 0);
  return out;
}

/** The department and everything under it: the parents it cannot be moved under. */
export function subtreeCodes(departments: readonly Node[], code: string): Set<string> {
  const out = new Set([code]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of departments) {
      if (d.parent && out.has(d.parent) && !out.has(d.code)) {
        out.add(d.code);
        grew = true;
      }
    }
  }
  return out;
}
