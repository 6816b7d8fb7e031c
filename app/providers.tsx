"use client";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { ConfirmProvider } from "@/components/ui/confirm";
import { Toaster, toast } from "@/components/ui/toast";

// Forms validate with the API's zod schemas in the browser. zod's JIT probes `new Function`, which the CSP forbids;
// the probe is caught but the browser still reports a CSP violation. Interpreted parsing is fast enough for forms.
z.config({ jitless: true });

/**
 * Every mutation gets feedback in one place: a failure toast always (with the API's message), a success toast
 * when the mutation names one in `meta.success`, e.g. `useMutation({ ..., meta: { success: "Key created" } })`
 * (types in types/react-query.d.ts).
 */
function makeClient() {
  return new QueryClient({
    defaultOptions: { queries: { staleTime: 30_000, retry: 1 } },
    mutationCache: new MutationCache({
      onSuccess: (_data, variables, _ctx, mutation) => {
        const success = mutation.meta?.success;
        if (success) toast.success(typeof success === "function" ? (success as (v: unknown) => string)(variables) : success);
      },
      onError: (error, _vars, _ctx, mutation) => {
        toast.error(mutation.meta?.error ?? "Could not save", error.message);
      },
    }),
  });
}

export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(makeClient);
  return (
    <QueryClientProvider client={client}>
      <ConfirmProvider>{children}</ConfirmProvider>
      <Toaster />
    </QueryClientProvider>
  );
}
