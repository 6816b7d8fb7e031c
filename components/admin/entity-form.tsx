"use client";
// One form for every admin resource: fields described as data, validated with the same zod schema as the
// API before sending, and the API's own field errors shown next to the fields when it still says no.
import { useState } from "react";
import type { ZodType } from "zod";
import { ApiClientError } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { cardClass, CardTitle } from "@/components/ui/card";
import { Field, Input, Label, Select, Textarea } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

export type Field = {
  name: string;
  label: string;
  type?: "text" | "textarea" | "email" | "password" | "number" | "decimal" | "select" | "checkbox" | "multiselect" | "tags" | "datetime";
  options?: { value: string; label: string }[];
  /** Empty input becomes null (clear the value) instead of being left out. */
  nullable?: boolean;
  hint?: string;
};

export type Values = Record<string, unknown>;
type Errors = Record<string, string>;

/** Options that are database ids travel as numbers. */
function numericOptions(f: Field): boolean {
  return Boolean(f.options?.length) && f.options!.every((o) => /^\d+$/.test(o.value));
}

/** FormData → the object the API expects: numbers, booleans, id arrays, tag lists, ISO instants. */
function collect(form: HTMLFormElement, fields: Field[]): Values {
  const data = new FormData(form);
  const out: Values = {};
  for (const f of fields) {
    if (f.type === "checkbox") {
      out[f.name] = data.get(f.name) === "on";
      continue;
    }
    if (f.type === "multiselect") {
      const picked = data.getAll(f.name).map(String);
      out[f.name] = numericOptions(f) ? picked.map(Number) : picked;
      continue;
    }
    const raw = String(data.get(f.name) ?? "").trim();
    if (raw === "") {
      if (f.nullable) out[f.name] = null;
      continue;
    }
    if (f.type === "number") out[f.name] = Number(raw);
    else if (f.type === "tags") out[f.name] = raw.split(",").map((t) => t.trim()).filter(Boolean);
    else if (f.type === "datetime") out[f.name] = new Date(raw).toISOString();
    else if (f.type === "select" && numericOptions(f)) out[f.name] = Number(raw);
    else out[f.name] = raw;
  }
  return out;
}

/** An ISO instant as the value a datetime-local input shows (local wall time). */
function toLocalInput(value: unknown): string {
  if (typeof value !== "string" || !value) return "";
  const d = new Date(value);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function EntityForm({
  title,
  fields,
  schema,
  initial = {},
  submitLabel,
  onSubmit,
  onCancel,
  clearAfterSubmit = !onCancel,
}: {
  title: string;
  fields: Field[];
  schema: ZodType;
  initial?: Values;
  submitLabel: string;
  onSubmit: (values: Values) => Promise<unknown>;
  onCancel?: () => void;
  /** Create forms start empty again after a save; edit forms keep what was saved. */
  clearAfterSubmit?: boolean;
}) {
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setFormError(null);
    const parsed = schema.safeParse(collect(form, fields));
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? ""), i.message])));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await onSubmit(parsed.data as Values);
      if (clearAfterSubmit) form.reset();
    } catch (error) {
      if (error instanceof ApiClientError && error.details?.length) {
        setErrors(Object.fromEntries(error.details.map((d) => [d.path.split(".")[0] ?? "", d.message])));
      }
      setFormError(error instanceof Error ? error.message : "Could not save");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={title} className={cn(cardClass, "space-y-3")}>
      <CardTitle>{title}</CardTitle>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        {fields.map((f) => {
          const id = `${title}-${f.name}`.replace(/\W+/g, "-");
          const error = errors[f.name];
          const value = initial[f.name];
          if (f.type === "checkbox") {
            return (
              <div key={f.name} className="flex items-center gap-2 pt-5">
                <input type="checkbox" id={id} name={f.name} defaultChecked={Boolean(value)} aria-invalid={error ? true : undefined} className="h-4 w-4 accent-primary" />
                <Label htmlFor={id}>{f.label}</Label>
                {error && <p className="text-xs text-danger">{error}</p>}
              </div>
            );
          }
          return (
            <Field key={f.name} id={id} label={f.label} hint={error ? undefined : f.hint} error={error}>
              {f.type === "textarea" ? (
                <Textarea name={f.name} rows={3} defaultValue={value == null ? "" : String(value)} className="w-full" />
              ) : f.type === "select" || f.type === "multiselect" ? (
                <Select name={f.name} multiple={f.type === "multiselect"} defaultValue={Array.isArray(value) ? value.map(String) : value == null ? "" : String(value)} className="w-full">
                  {f.type === "select" && f.nullable && <option value="">—</option>}
                  {f.options?.map((o) => (
                    <option key={o.value} value={o.value}>{o.label}</option>
                  ))}
                </Select>
              ) : (
                <Input
                  name={f.name}
                  type={f.type === "datetime" ? "datetime-local" : f.type === "email" || f.type === "password" ? f.type : "text"}
                  inputMode={f.type === "number" || f.type === "decimal" ? "decimal" : undefined}
                  defaultValue={f.type === "datetime" ? toLocalInput(value) : Array.isArray(value) ? value.join(", ") : value == null ? "" : String(value)}
                  autoComplete={f.type === "password" ? "new-password" : "off"}
                  className="w-full"
                />
              )}
            </Field>
          );
        })}
      </div>
      {formError && <p role="alert" className="text-sm text-danger">{formError}</p>}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
