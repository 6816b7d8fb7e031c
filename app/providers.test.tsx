import { useMutation } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Button } from "@/components/ui/button";
import { Providers } from "./providers";

function Save({ fail }: { fail: boolean }) {
  const save = useMutation({
    mutationFn: async (name: string) => {
      if (fail) throw new Error("name: already taken");
      return name;
    },
    meta: { success: (name: string) => `Saved ${name}` },
  });
  return <Button onClick={() => save.mutate("Support bot")}>Save</Button>;
}

describe("mutation feedback (the QueryClient's MutationCache)", () => {
  it("toasts the mutation's success message, built from its variables", async () => {
    render(<Providers><Save fail={false} /></Providers>);
    await userEvent.setup().click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getByTestId("toast-success").textContent).toContain("Saved Support bot"));
  });

  it("toasts every failure with the error's message", async () => {
    render(<Providers><Save fail /></Providers>);
    await userEvent.setup().click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.getAllByTestId("toast-error").some((t) => t.textContent?.includes("Could not save") && t.textContent.includes("name: already taken"))).toBe(true));
  });
});
