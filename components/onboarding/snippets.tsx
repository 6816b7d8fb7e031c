"use client";
// Copy-paste snippets for the first event (curl, the TypeScript client, Python requests, OpenTelemetry), with the key
// filled in when one was just created here. The key lives only in this component's state: it is shown once.
import { useState } from "react";
import { useCreateIngestKey } from "./queries";
import { snippets } from "./snippet-text";
import { Button } from "@/components/ui/button";

const PLACEHOLDER = "YOUR_API_KEY";

function Snippet({ title, code, testId }: { title: string; code: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-1">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-medium">{title}</h3>
        <Button variant="secondary" size="sm"
          onClick={() => navigator.clipboard?.writeText(code).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      {/* Focusable and named: a code block wider than the screen scrolls, and keyboard users must be able to scroll it. */}
      <pre data-testid={testId} tabIndex={0} aria-label={`${title} code`} className="overflow-x-auto rounded-control border border-border bg-surface-muted p-3 text-xs text-foreground focus-visible:outline-2 focus-visible:outline-ring">
        {code}
      </pre>
    </div>
  );
}

export function FirstKeyAndSnippets({ origin, currency, timestamp, canCreateKey }: { origin: string; currency: string; timestamp: string; canCreateKey: boolean }) {
  const create = useCreateIngestKey();
  const key = create.data?.secret ?? PLACEHOLDER;
  const s = snippets(origin, key, currency, timestamp);
  return (
    <div className="space-y-4">
      {canCreateKey &&
        (create.data ? (
          <p role="status" className="rounded-md border border-success-border bg-success-soft p-2 text-sm">
            Key “{create.data.key.name}” created with the <code>ingest</code> scope. It is in the snippets below and shown only on this page, once: store
            it now.
          </p>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <Button size="sm"
              disabled={create.isPending}
              onClick={() => create.mutate(`First key (${timestamp.slice(0, 10)})`)}
            >
              Create an ingest API key
            </Button>
            <span className="text-sm text-muted-foreground">or use one from the API keys page.</span>
            {create.error && (
              <p role="alert" className="w-full text-sm text-danger">
                {create.error.message}
              </p>
            )}
          </div>
        ))}
      <Snippet title="curl" code={s.curl} testId="snippet-curl" />
      <Snippet title="TypeScript (the typed client)" code={s.typescript} testId="snippet-typescript" />
      <Snippet title="Python (requests)" code={s.python} testId="snippet-python" />
      <Snippet title="OpenTelemetry (environment of your agent's process)" code={s.otel} testId="snippet-otel" />
    </div>
  );
}
