"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { LOGO_MAX_BYTES, settingsUpdate } from "@/lib/admin/schemas";
import { taxCategories } from "@/lib/billing/tax";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { EntityForm, type Values } from "./entity-form";

export function SettingsAdmin({ initial }: { initial: Values }) {
  const router = useRouter();
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: Values) => apiFetch<{ rollupsRebuilt: boolean }>("/api/v1/settings", { method: "PATCH", body: JSON.stringify(body) }),
    meta: { success: "Settings saved" },
  });
  return (
    <div className="space-y-3">
      <EntityForm
        title="Organization"
        schema={settingsUpdate}
        initial={initial}
        fields={[
          { name: "name", label: "Name" },
          { name: "currency", label: "Base currency", hint: "Amounts are not converted when this changes" },
          { name: "timeZone", label: "Time zone", hint: "IANA name, e.g. Europe/Paris. Changing it re-buckets all daily figures" },
          { name: "fiscalMonthStart", label: "Fiscal year starts in month", type: "number", hint: "1 = January … 12 = December. Fiscal quarters and the \"Year to date\" and \"Quarter to date\" periods start from it" },
          {
            name: "requireSsoOrTwoFactor",
            label: "Require SSO or two-factor for admin and finance roles",
            type: "checkbox",
            hint: "Admin and finance users who sign in with a password must enrol in two-factor before anything else",
          },
          // The issuer on invoice documents.
          { name: "legalName", label: "Legal name (on invoices)", nullable: true, hint: "Empty = the name" },
          { name: "taxId", label: "Tax ID", nullable: true, hint: "VAT/GST number printed on invoices" },
          { name: "address", label: "Address", type: "textarea", nullable: true },
          { name: "paymentInstructions", label: "Payment instructions", type: "textarea", nullable: true, hint: "Bank details or how to pay, printed on invoices" },
          { name: "paymentTermsDays", label: "Payment terms (days)", type: "number", hint: "Due date = issue date + this; a customer may have its own" },
          { name: "defaultTaxCategory", label: "Default tax category", type: "select", options: taxCategories.map((c) => ({ value: c, label: c.replace("_", " ") })), hint: "For charges without one, minimums, commitments and adjustments" },
        ]}
        submitLabel="Save settings"
        clearAfterSubmit={false}
        onSubmit={async (body) => {
          const result = await save.mutateAsync(body);
          setSaved(result.rollupsRebuilt ? "Saved; daily figures were rebuilt for the new time zone." : "Saved.");
          router.refresh();
        }}
      />
      {saved && <p role="status" className="text-sm text-success">{saved}</p>}
      <LogoSetting logo={typeof initial.logo === "string" ? initial.logo : null} />
    </div>
  );
}

/** The logo printed on invoices: a PNG or JPEG up to 256 KB, sent as a data URL (the server checks the image). */
function LogoSetting({ logo }: { logo: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (value: string | null) => apiFetch("/api/v1/settings", { method: "PATCH", body: JSON.stringify({ logo: value }) }),
    meta: { success: "Logo saved" },
    onSuccess: () => router.refresh(),
    onError: (e: Error) => setError(e.message),
  });
  async function pick(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setError(null);
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) return setError("The logo may be at most 256 KB");
    const reader = new FileReader();
    reader.onload = () => save.mutate(String(reader.result));
    reader.readAsDataURL(file);
  }
  return (
    <Card className="space-y-3">
      <CardTitle>Invoice logo</CardTitle>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data URL from the settings, not a static asset */}
      {logo ? <img src={logo} alt="Current invoice logo" className="max-h-14 max-w-48" /> : <p className="text-sm text-muted-foreground">No logo: invoices show the legal name instead.</p>}
      <div className="flex items-center gap-3">
        <label className="text-sm">
          <span className="sr-only">Upload a logo</span>
          <input type="file" accept="image/png,image/jpeg" onChange={pick} aria-label="Upload a logo (PNG or JPEG, at most 256 KB)" className="text-sm" />
        </label>
        {logo && (
          <Button variant="secondary" onClick={() => save.mutate(null)} disabled={save.isPending}>
            Remove logo
          </Button>
        )}
      </div>
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
    </Card>
  );
}
