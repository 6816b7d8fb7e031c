"use client";
import { createContext, useContext, useId } from "react";
import { cn } from "./cn";

type FieldIds = { id: string; describedBy?: string; invalid: boolean };
const FieldContext = createContext<FieldIds | null>(null);

/**
 * A labelled form control: `<Field label="Name" error={e}><Input name="name" /></Field>`. The control inside gets
 * the id the label points at, and `aria-describedby` naming the hint and the error, so both are read out with it.
 */
export function Field({ label, hint, error, className, children, id: idProp }: { label: React.ReactNode; hint?: React.ReactNode; error?: React.ReactNode; className?: string; children: React.ReactNode; id?: string }) {
  const auto = useId();
  const id = idProp ?? auto;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("flex flex-col gap-1 text-sm", className)}>
      <Label htmlFor={id}>{label}</Label>
      <FieldContext.Provider value={{ id, describedBy, invalid: Boolean(error) }}>{children}</FieldContext.Provider>
      {hint && <p id={hintId} className="text-xs text-muted-foreground">{hint}</p>}
      {error && <p id={errorId} className="text-xs text-danger">{error}</p>}
    </div>
  );
}

export function Label({ className, ...props }: React.ComponentProps<"label">) {
  return <label className={cn("font-medium text-foreground", className)} {...props} />;
}

/** Props a control takes from its Field (its own id / aria-describedby win when given). */
function useFieldProps<P extends { id?: string; "aria-describedby"?: string; "aria-invalid"?: React.AriaAttributes["aria-invalid"] }>(props: P): P {
  const field = useContext(FieldContext);
  if (!field) return props;
  return {
    ...props,
    id: props.id ?? field.id,
    "aria-describedby": [field.describedBy, props["aria-describedby"]].filter(Boolean).join(" ") || undefined,
    "aria-invalid": props["aria-invalid"] ?? (field.invalid || undefined),
  };
}

export const controlClass =
  "rounded-control border border-input bg-surface px-2.5 py-1.5 text-sm text-foreground placeholder:text-muted-foreground focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring disabled:opacity-50 aria-invalid:border-danger";

export function Input({ className, ...props }: React.ComponentProps<"input">) {
  return <input className={cn(controlClass, "h-9", className)} {...useFieldProps(props)} />;
}

/** A styled native <select>: the platform's own keyboard and mobile pickers, and Playwright's selectOption works on it. */
export function Select({ className, ...props }: React.ComponentProps<"select">) {
  return <select className={cn(controlClass, "h-9 pr-7", className)} {...useFieldProps(props)} />;
}

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea className={cn(controlClass, "min-h-20", className)} {...useFieldProps(props)} />;
}
