export function Forbidden({ what }: { what: string }) {
  return (
    <div role="alert" className="rounded-card border border-warning-border bg-warning-soft p-6">
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-1 text-sm text-foreground">Your role does not give access to {what}. Ask an administrator if you need it.</p>
    </div>
  );
}
