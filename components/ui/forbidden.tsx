export function Forbidden({ what }: { what: string }) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-6">
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-1 text-sm text-slate-700">Your role does not give access to {what}. Ask an administrator if you need it.</p>
    </div>
  );
}
