"use client";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { useRef } from "react";
import { cn } from "./cn";

export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;

export const overlayClass = "fixed inset-0 z-40 bg-overlay";
export const dialogPanelClass =
  "fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-card border border-border bg-surface p-5 text-foreground shadow-xl focus:outline-none";

/** A modal with a title (required: it names the dialog) and optional description; Escape and the Close button dismiss it. */
export function DialogContent({ title, description, children, className, onKeyDown, ...props }: { title: React.ReactNode; description?: React.ReactNode } & React.ComponentProps<typeof DialogPrimitive.Content>) {
  const close = useRef<HTMLButtonElement>(null);
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className={overlayClass} />
      <DialogPrimitive.Content
        className={cn(dialogPanelClass, className)}
        {...(description ? {} : { "aria-describedby": undefined })}
        {...props}
        onKeyDown={(e) => {
          onKeyDown?.(e);
          // Radix gives Escape to the newest dismissable layer only, and a toast shown after the dialog opened (a
          // mutation's "saved") is newer: it took the Escape and the dialog stayed open. A layer that handled the
          // Escape (the dialog itself, a menu inside it) prevents its default; otherwise it still closes the dialog.
          if (e.key === "Escape" && !e.defaultPrevented) close.current?.click();
        }}
      >
        <DialogPrimitive.Title className="text-lg font-semibold">{title}</DialogPrimitive.Title>
        {description && <DialogPrimitive.Description className="mt-1 text-sm text-muted-foreground">{description}</DialogPrimitive.Description>}
        <div className="mt-4">{children}</div>
        <DialogPrimitive.Close ref={close} aria-label="Close" className="absolute top-3 right-3 rounded-control px-2 text-lg leading-none text-muted-foreground hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-ring">
          ×
        </DialogPrimitive.Close>
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}
