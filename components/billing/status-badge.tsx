const styles: Record<string, string> = {
  draft: "bg-warning-soft text-warning border-warning-border",
  finalized: "bg-success-soft text-success border-success-border",
  void: "bg-surface-muted text-muted-foreground border-border",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`rounded border px-2 py-0.5 text-xs font-medium ${styles[status] ?? ""}`}>{status}</span>;
}
