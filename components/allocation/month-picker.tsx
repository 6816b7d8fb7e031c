"use client";
// The period (a month in the organization's time zone) lives in the URL (?period=YYYY-MM) so a view can be shared.
import { usePathname, useRouter, useSearchParams } from "next/navigation";

export function MonthPicker({ period }: { period: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <label className="text-sm text-slate-600">
      Month
      <input
        type="month"
        aria-label="Month"
        value={period}
        onChange={(e) => {
          if (!e.target.value) return;
          const search = new URLSearchParams(params.toString());
          search.set("period", e.target.value);
          router.push(`${pathname}?${search.toString()}`);
        }}
        className="ml-2 rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
    </label>
  );
}
