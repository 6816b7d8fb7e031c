import "@tanstack/react-query";

// What a mutation may tell the QueryClient's MutationCache (app/providers.tsx) to toast.
declare module "@tanstack/react-query" {
  interface Register {
    mutationMeta: {
      /** Shown as a success toast when the mutation succeeds ("Settings saved"). */
      success?: string;
      /** Title of the failure toast (default "Could not save"); the error's message is its description. */
      error?: string;
    };
  }
}
