// Small display helpers for admin tables.
export function when(value: string | null | undefined): string {
  return value ? new Date(value).toLocaleString() : "—";
}

export type Option = { value: string; label: string };
export type DepartmentOption = { id: number; code: string; name: string };

export function departmentOptions(departments: DepartmentOption[]): Option[] {
  return departments.map((d) => ({ value: String(d.id), label: `${d.code} — ${d.name}` }));
}
