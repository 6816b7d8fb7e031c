// CSV rows → contract events through a column mapping (contract field → CSV column). Dotted field names reach
// into the nested objects: cost.amount, tokens.input, task.type, properties.<name>. Empty cells are left out,
// so validation reports a missing required field rather than an empty string.

export const MAPPABLE_FIELDS = [
  "id",
  "timestamp",
  "agent",
  "type",
  "quantity",
  "department",
  "customer",
  "cost.amount",
  "cost.currency",
  "model",
  "tokens.input",
  "tokens.output",
  "tokens.cache_read",
  "tokens.cache_creation",
  "tokens.reasoning",
  "task.type",
  "task.handled_by",
  "task.status",
  "task.duration_seconds",
] as const;

/** Columns named after a field (or `properties.<name>`) map to it without being told. */
export function defaultMapping(header: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const column of header) {
    if ((MAPPABLE_FIELDS as readonly string[]).includes(column) || /^properties\.[^.]+$/.test(column)) mapping[column] = column;
  }
  return mapping;
}

/** Integers stay JSON numbers only when they are plain digits; anything else goes through as text for validation to reject. */
function numeric(value: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

export function csvRowToEvent(row: Record<string, string | undefined>, mapping: Record<string, string>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(mapping)) {
    const value = row[column];
    if (value === undefined || value === "") continue;
    const [head, sub] = field.split(/\.(.+)/) as [string, string | undefined];
    if (!sub) {
      event[head] = value; // quantity stays a decimal string: exact, and the contract accepts it
      continue;
    }
    const nested = (event[head] ??= {}) as Record<string, unknown>;
    nested[sub] = head === "tokens" || sub === "duration_seconds" ? numeric(value) : value;
  }
  return event;
}
