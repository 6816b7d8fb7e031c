"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { settingsUpdate } from "@/lib/admin/schemas";
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
          { name: "fiscalMonthStart", label: "Fiscal year starts in month", type: "number" },
          {
            name: "requireSsoOrTwoFactor",
            label: "Require SSO or two-factor for admin and finance roles",
            type: "checkbox",
            hint: "Admin and finance users who sign in with a password must enrol in two-factor before anything else",
          },
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
    </div>
  );
}
