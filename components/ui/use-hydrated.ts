"use client";
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** false on the server and during hydration, true once the page runs in the browser (event handlers attached). */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
