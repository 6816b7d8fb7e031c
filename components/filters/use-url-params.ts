"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { nextSearch } from "./url";

/** Current query parameters and a setter that pushes a new URL (so views can be shared and navigated back). */
export function useUrlParams() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return {
    params,
    get: (key: string) => params.get(key) ?? "",
    set: (updates: Record<string, string | null>) => router.push(`${pathname}${nextSearch(params.toString(), updates)}`, { scroll: false }),
  };
}
