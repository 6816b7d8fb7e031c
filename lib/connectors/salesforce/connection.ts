// A Salesforce connector row → settings and an authenticated client.
import "server-only";
import type { Connector } from "@/lib/generated/prisma/client";
import { decryptSecret } from "../crypto";
import { DEFAULT_RETRY, type RetryOptions } from "../http";
import { SalesforceClient } from "./client";
import { SalesforceSettingsSchema, type SalesforceSettings } from "./schemas";

export const SALESFORCE = "salesforce";

/** Idempotency namespace of a Salesforce connector's events (event id = record Id). */
export const salesforceSource = (id: number) => `salesforce:${id}`;

export function settingsOf(connector: Connector): SalesforceSettings {
  const parsed = SalesforceSettingsSchema.safeParse(connector.settings);
  if (!parsed.success) throw new Error(`invalid Salesforce settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export function clientFor(connector: Connector, retry: RetryOptions = DEFAULT_RETRY): SalesforceClient {
  const settings = settingsOf(connector);
  return new SalesforceClient(
    {
      instanceUrl: connector.baseUrl,
      clientId: settings.clientId,
      clientSecret: decryptSecret(connector.apiKeyEncrypted),
      apiVersion: settings.apiVersion,
      queryApi: settings.queryApi,
      ...(settings.auth === "jwt_bearer" ? { jwt: { username: settings.username!, audience: settings.audience } } : {}),
    },
    retry,
  );
}
