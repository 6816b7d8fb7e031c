// Provider service-tier names → the event contract's service_tier. Pure; shared by OTLP mapping and connectors.
import type { ServiceTier } from "./match";

/**
 * OpenAI `service_tier` ("default" | "flex" | "priority" | "scale" | "auto"), Anthropic `usage.service_tier`
 * ("standard" | "priority" | "batch") and a batch flag map to a tier; "auto" (a request, not what ran) and
 * "scale" (reserved capacity, billed per unit outside token prices) map to nothing.
 */
export function toServiceTier(value: unknown): ServiceTier | undefined {
  if (typeof value !== "string") return undefined;
  switch (value.trim().toLowerCase()) {
    case "default":
    case "standard":
    case "on_demand":
      return "default";
    case "batch":
      return "batch";
    case "flex":
      return "flex";
    case "priority":
      return "priority";
    default:
      return undefined;
  }
}
