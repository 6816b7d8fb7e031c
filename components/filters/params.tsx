// Page-side handling of the dashboards' URL parameters: API parameters vs UI-only ones, and how bad ones are shown.

/** Splits the page's search params into those the API takes and the UI-only ones (`uiKeys`), first value of each. */
export function pageParams(raw: Record<string, string | string[] | undefined>, uiKeys: string[]) {
  const api: Record<string, string> = {};
  const ui: Record<string, string> = {};
  const all = new URLSearchParams();
  for (const [key, value] of Object.entries(raw)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v === undefined || v === "") continue;
    all.set(key, v);
    (uiKeys.includes(key) ? ui : api)[key] = v;
  }
  return { api, ui, search: all.toString() };
}

export function ParamError({ issues }: { issues: { path: string; message: string }[] }) {
  return (
    <div role="alert" className="rounded-card border border-danger-border bg-danger-soft p-6 text-sm text-danger">
      <p className="font-medium">These filters cannot be applied:</p>
      <ul className="mt-1 list-disc pl-5">
        {issues.map((i) => (
          <li key={i.path + i.message}>
            <code>{i.path}</code>: {i.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
