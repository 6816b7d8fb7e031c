const styles: Record<string, string> = {
  draft: "bg-amber-50 text-amber-800 border-amber-200",
  finalized: "bg-emerald-50 text-emerald-800 border-emerald-200",
  void: "bg-slate-100 text-slate-600 border-slate-200",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`rounded border px-2 py-0.5 text-xs font-medium ${styles[status] ?? ""}`}>{status}</span>;
}
