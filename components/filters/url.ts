// Filters live in the URL: one pure helper computes the next query string.

/** Applies updates to a query string; null or "" removes a parameter. */
export function nextSearch(current: string, updates: Record<string, string | null>): string {
  const search = new URLSearchParams(current);
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === "") search.delete(key);
    else search.set(key, value);
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

