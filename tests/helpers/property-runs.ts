// Property-test run counts: modest by default (npm test, CI), the full count with PROPERTY_RUNS=full
// (npm run test:reliability sets it), so CI keeps its time as properties are added.
export function propertyRuns(full: number): number {
  return process.env.PROPERTY_RUNS === "full" ? full : Math.max(25, Math.ceil(full / 10));
}
