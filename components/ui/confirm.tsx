"use client";
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { createContext, useCallback, useContext, useRef, useState } from "react";
import { buttonVariants } from "./button";
import { dialogPanelClass, overlayClass } from "./dialog";

export type ConfirmOptions = {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** The confirming button's label: say what happens ("Revoke key"), not "OK". */
  confirmLabel?: string;
  cancelLabel?: string;
  /** Destructive actions get the danger button. */
  tone?: "danger" | "primary";
};

type Confirm = (options: ConfirmOptions) => Promise<boolean>;
const ConfirmContext = createContext<Confirm | null>(null);

/**
 * `const confirm = useConfirm(); if (await confirm({ title: "Delete?" })) ...` — the accessible replacement for
 * `window.confirm`: an alert dialog that traps focus, starts on Cancel, closes on Escape (= cancel) and gives
 * focus back to the button that opened it.
 */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error("useConfirm needs <ConfirmProvider> (app/providers.tsx)");
  return confirm;
}

export function ConfirmProvider({ children }: { children: React.ReactNode }) {
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  // There is no Radix Trigger (the dialog opens from code), so Radix cannot know where focus came from: remember it.
  const opener = useRef<HTMLElement | null>(null);

  const confirm = useCallback<Confirm>((next) => {
    resolver.current?.(false);
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOptions(next);
    return new Promise<boolean>((resolve) => {
      resolver.current = resolve;
    });
  }, []);

  const settle = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOptions(null);
  };

  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <AlertDialog.Root open={options !== null} onOpenChange={(open) => !open && settle(false)}>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className={overlayClass} />
          <AlertDialog.Content
            className={dialogPanelClass}
            {...(options?.description ? {} : { "aria-describedby": undefined })}
            onCloseAutoFocus={(event) => {
              event.preventDefault();
              opener.current?.focus();
            }}
          >
            <AlertDialog.Title className="text-lg font-semibold">{options?.title}</AlertDialog.Title>
            {options?.description && <AlertDialog.Description className="mt-2 text-sm text-muted-foreground">{options.description}</AlertDialog.Description>}
            <div className="mt-5 flex flex-wrap justify-end gap-2">
              <AlertDialog.Cancel className={buttonVariants({ variant: "secondary" })}>{options?.cancelLabel ?? "Cancel"}</AlertDialog.Cancel>
              <AlertDialog.Action className={buttonVariants({ variant: options?.tone === "primary" ? "primary" : "danger" })} onClick={() => settle(true)}>
                {options?.confirmLabel ?? "Confirm"}
              </AlertDialog.Action>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </ConfirmContext.Provider>
  );
}
