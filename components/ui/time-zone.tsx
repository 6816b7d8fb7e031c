"use client";
// The organization's time zone for client components: the dashboard layout provides it, so every date a table or
// list shows is in the same zone as the daily buckets (UTC only where a label says so).
import { createContext, useContext, type ReactNode } from "react";

const TimeZoneContext = createContext("UTC");

export function TimeZoneProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  return <TimeZoneContext.Provider value={timeZone}>{children}</TimeZoneContext.Provider>;
}

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}
