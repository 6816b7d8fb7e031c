-- Agent traces counted once (lib/formats/traces.ts): every received OTLP span of a trace, so a late span can
-- correct what earlier spans counted, and one row per trace for its settling.
CREATE TABLE "otlp_traces" (
    "source" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "last_span_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    "settled_at" TIMESTAMPTZ(3),
    CONSTRAINT "otlp_traces_pkey" PRIMARY KEY ("source", "trace_id")
);
CREATE INDEX "otlp_traces_unsettled_idx" ON "otlp_traces" ("last_span_at") WHERE "settled_at" IS NULL;

CREATE TABLE "trace_spans" (
    "source" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "span_id" TEXT NOT NULL,
    "parent_span_id" TEXT,
    "name" TEXT,
    "operation" TEXT,
    "agent" TEXT,
    "has_usage" BOOLEAN NOT NULL DEFAULT false,
    "event" JSONB,
    "event_key" TEXT,
    "counted_agent" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "rejected" BOOLEAN NOT NULL DEFAULT false,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    CONSTRAINT "trace_spans_pkey" PRIMARY KEY ("source", "trace_id", "span_id")
);
