import { redirect } from "next/navigation";
import { sessionUser } from "@/lib/auth/caller";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await sessionUser()) redirect("/");
  const { callbackUrl } = await searchParams;
  // Only same-site paths, so the login page cannot be used as an open redirect.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-2xl font-semibold">AgentLedger</h1>
        <p className="mb-6 mt-1 text-sm text-slate-500">Sign in to see what your agents did and what it cost.</p>
        <LoginForm callbackUrl={target} />
      </div>
    </main>
  );
}
