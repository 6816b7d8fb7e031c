// The text of the first-event snippets: the real endpoints of this app, the organization's currency, the key if known.

/** `origin` is the app's public URL; `key` the API key or a placeholder; `timestamp` an RFC 3339 instant for the curl example. */
export function snippets(origin: string, key: string, currency: string, timestamp: string) {
  const event = `{"id": "first-event-1", "timestamp": "${timestamp}", "agent": "my-first-agent", "type": "llm.call", "model": "gpt-4o", "cost": {"amount": "0.0125", "currency": "${currency}"}}`;
  return {
    curl: `export AGENTLEDGER_API_KEY=${key}
curl -sS ${origin}/api/v1/events \\
  -H "Authorization: Bearer $AGENTLEDGER_API_KEY" -H "Content-Type: application/json" \\
  -d '{"events": [${event}]}'`,
    typescript: `// The typed client is lib/client/index.ts in the AgentLedger repository (copy it into your project):
// it batches events and retries safely, because event ids are idempotency keys.
import { AgentLedgerClient } from "./agentledger-client";

const ledger = new AgentLedgerClient({ baseUrl: "${origin}", apiKey: process.env.AGENTLEDGER_API_KEY! });
await ledger.track({
  id: crypto.randomUUID(),
  timestamp: new Date().toISOString(),
  agent: "my-first-agent",
  type: "llm.call",
  model: "gpt-4o",
  tokens: { input: 1200, output: 350 },
});
await ledger.flush();`,
    python: `import datetime, os, uuid
import requests

response = requests.post(
    "${origin}/api/v1/events",
    headers={"Authorization": f"Bearer {os.environ['AGENTLEDGER_API_KEY']}"},
    json={"events": [{
        "id": str(uuid.uuid4()),
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "agent": "my-first-agent",
        "type": "llm.call",
        "model": "gpt-4o",
        "tokens": {"input": 1200, "output": 350},
    }]},
    timeout=10,
)
response.raise_for_status()
print(response.json())  # {'accepted': 1, 'duplicates': 0, 'rejected': []}`,
    otel: `# Any OpenTelemetry SDK's OTLP/HTTP trace exporter; spans with GenAI attributes become usage events.
export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/api/v1/otlp/v1/traces
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20${key}"
export OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf`,
  };
}
