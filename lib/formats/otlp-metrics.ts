// OTLP/HTTP metrics (JSON and protobuf) → token data points, following the OpenTelemetry GenAI semantic conventions:
// the client metric `gen_ai.client.token.usage` (a histogram of tokens per operation, one series per
// gen_ai.token.type and model). Its points' sums are usage; every other metric is accepted and ignored. Stateless:
// turning cumulative points into deltas needs stored state (lib/formats/metrics.ts).
import { createHash } from "node:crypto";
import generated from "@opentelemetry/otlp-transformer/build/src/generated/root";
import { toServiceTier } from "@/lib/pricing/service-tier";
import type { Rejection } from "@/lib/ingest/validate";
import { attributeMap, type AttributeValue, type KeyValue } from "./otlp";

type Message = {
  decode(body: Uint8Array): object;
  toObject(message: object, options: { longs: typeof String }): object;
  fromObject(value: object): object;
  encode(message: object): { finish(): Uint8Array };
};
const proto = (generated as unknown as { opentelemetry: { proto: { collector: { metrics: { v1: Record<"ExportMetricsServiceRequest" | "ExportMetricsServiceResponse", Message> } } } } })
  .opentelemetry.proto.collector.metrics.v1;

export const TOKEN_USAGE_METRIC = "gen_ai.client.token.usage";

type Nanos = string | number | null | undefined;
type HistogramPoint = { attributes?: KeyValue[] | null; startTimeUnixNano?: Nanos; timeUnixNano?: Nanos; count?: Nanos; sum?: number | null };
type Histogram = { dataPoints?: HistogramPoint[] | null; aggregationTemporality?: number | string | null };
type Metric = { name?: string | null; histogram?: Histogram | null; exponentialHistogram?: Histogram | null } & Record<string, unknown>;
export type MetricsRequest = {
  resourceMetrics?: {
    resource?: { attributes?: KeyValue[] | null } | null;
    scopeMetrics?: { scope?: { name?: string | null; version?: string | null; attributes?: KeyValue[] | null } | null; metrics?: Metric[] | null }[] | null;
  }[] | null;
};

export function decodeMetricsProtobuf(body: Uint8Array): MetricsRequest {
  const message = proto.ExportMetricsServiceRequest.decode(body);
  return proto.ExportMetricsServiceRequest.toObject(message, { longs: String }) as MetricsRequest;
}

/** ExportMetricsServiceResponse: `partialSuccess` only when some token points could not be stored. */
export function metricsResponse(rejectedDataPoints: number, errorMessage: string) {
  return rejectedDataPoints > 0 ? { partialSuccess: { rejectedDataPoints, errorMessage } } : {};
}

export function encodeMetricsResponse(rejectedDataPoints: number, errorMessage: string): Uint8Array {
  return proto.ExportMetricsServiceResponse.encode(proto.ExportMetricsServiceResponse.fromObject(metricsResponse(rejectedDataPoints, errorMessage))).finish();
}

/** The contract's token classes a point can count as. */
export type TokenClass = "input" | "output" | "cache_read" | "cache_creation" | "reasoning";

/** One data point of gen_ai.client.token.usage, ready to be counted. */
export type TokenPoint = {
  /** Position among all data points of the request (for rejections). */
  index: number;
  /** SHA-256 (hex) of resource + scope + metric name + point attributes: the series identity. */
  series: string;
  cumulative: boolean;
  startNanos: bigint;
  timeNanos: bigint;
  /** Histogram sum (tokens) and count (operations), as sent: running totals when cumulative. */
  sum: number;
  count: number;
  /** null = a gen_ai.token.type this contract has no class for (e.g. "total"): accepted, not counted. */
  tokenClass: TokenClass | null;
  /** The event this point counts as, without id, tokens and quantity (those depend on the delta). */
  event: Record<string, unknown>;
};

export type MetricsParse = { points: TokenPoint[]; rejected: Rejection[]; dataPoints: number };

const canonical = (attrs: Map<string, AttributeValue>) => [...attrs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function nanos(value: Nanos): bigint | null {
  if (value === null || value === undefined || !/^\d+$/.test(String(value))) return null;
  return BigInt(String(value));
}

function rfc3339(n: bigint): string | null {
  const millis = n / 1_000_000n;
  return millis <= 0n || millis > 8_640_000_000_000_000n ? null : new Date(Number(millis)).toISOString();
}

function str(attrs: Map<string, AttributeValue>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = attrs.get(key);
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

/** AggregationTemporality as OTLP/JSON (an integer, or the enum name) or protobuf sends it. */
function temporality(value: number | string | null | undefined): "delta" | "cumulative" | null {
  if (value === 1 || value === "AGGREGATION_TEMPORALITY_DELTA") return "delta";
  if (value === 2 || value === "AGGREGATION_TEMPORALITY_CUMULATIVE") return "cumulative";
  return null;
}

/**
 * The class a point counts as. gen_ai.token.type is input or output; the newer breakdown attributes (gen_ai.token.cache
 * read/creation on input, gen_ai.token.phase reasoning on output) split those into disjoint series, as the contract's
 * classes are. Without a breakdown, input includes cached tokens, as the conventions define it.
 */
function tokenClassOf(attrs: Map<string, AttributeValue>): TokenClass | null {
  const type = str(attrs, "gen_ai.token.type");
  if (type === "input") {
    const cache = str(attrs, "gen_ai.token.cache");
    return cache === "read" ? "cache_read" : cache === "creation" ? "cache_creation" : "input";
  }
  if (type === "output") return str(attrs, "gen_ai.token.phase") === "reasoning" ? "reasoning" : "output";
  return null;
}

/** Every data point of gen_ai.client.token.usage in a request; other metrics only count towards `dataPoints`. */
export function collectTokenPoints(request: MetricsRequest): MetricsParse {
  const points: TokenPoint[] = [];
  const rejected: MetricsParse["rejected"] = [];
  let index = 0;
  for (const rm of request.resourceMetrics ?? []) {
    const resource = attributeMap(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      const scope = [sm.scope?.name ?? "", sm.scope?.version ?? "", canonical(attributeMap(sm.scope?.attributes))];
      for (const metric of sm.metrics ?? []) {
        const histogram = metric.histogram ?? metric.exponentialHistogram;
        if (metric.name !== TOKEN_USAGE_METRIC || !histogram) {
          for (const value of Object.values(metric)) {
            const dataPoints = (value as { dataPoints?: unknown[] } | null)?.dataPoints;
            if (Array.isArray(dataPoints)) index += dataPoints.length;
          }
          continue;
        }
        const kind = temporality(histogram.aggregationTemporality);
        for (const point of histogram.dataPoints ?? []) {
          const i = index++;
          const attrs = attributeMap(point.attributes);
          const start = nanos(point.startTimeUnixNano);
          const time = nanos(point.timeUnixNano);
          const timestamp = time === null ? null : rfc3339(time);
          const errors: string[] = [];
          if (!kind) errors.push("aggregationTemporality: must be DELTA or CUMULATIVE");
          if (time === null || timestamp === null) errors.push("timeUnixNano: required, nanoseconds since the epoch");
          if (start === null && kind === "cumulative") errors.push("startTimeUnixNano: required for a cumulative point");
          if (typeof point.sum !== "number" || !Number.isSafeInteger(point.sum) || point.sum < 0) errors.push("sum: required, a whole number of tokens ≥ 0");
          const count = Number(point.count ?? 0);
          if (!Number.isSafeInteger(count) || count < 0) errors.push("count: must be a whole number ≥ 0");
          if (errors.length) {
            rejected.push({ index: i, id: null, errors });
            continue;
          }
          const series = createHash("sha256")
            .update(JSON.stringify([canonical(resource), scope, metric.name, canonical(attrs)]))
            .digest("hex");
          const operation = str(attrs, "gen_ai.operation.name");
          const properties: Record<string, string | boolean> = { source_metric: TOKEN_USAGE_METRIC, aggregate: true };
          const put = (name: string, value: string | undefined) => {
            if (value !== undefined) properties[name] = value.slice(0, 1024);
          };
          put("provider", str(attrs, "gen_ai.provider.name", "gen_ai.system"));
          put("operation", operation);
          put("token_type", str(attrs, "gen_ai.token.type"));
          put("token_modality", str(attrs, "gen_ai.token.modality"));
          put("server_address", str(attrs, "server.address"));
          put("service", str(resource, "service.name"));
          const both = new Map([...resource, ...attrs]);
          points.push({
            index: i,
            series,
            cumulative: kind === "cumulative",
            startNanos: start ?? 0n,
            timeNanos: time!,
            sum: point.sum as number,
            count,
            tokenClass: tokenClassOf(attrs),
            event: Object.fromEntries(
              Object.entries({
                timestamp,
                agent: str(both, "gen_ai.agent.name", "gen_ai.agent.id", "service.name") ?? "unknown_service",
                type: `gen_ai.${operation ?? "unknown"}`,
                model: str(attrs, "gen_ai.response.model", "gen_ai.request.model"),
                service_tier: toServiceTier(str(attrs, "openai.response.service_tier")),
                department: str(both, "agentledger.department"),
                customer: str(both, "agentledger.customer"),
                properties,
              }).filter(([, v]) => v !== undefined && v !== null),
            ),
          });
        }
      }
    }
  }
  return { points, rejected, dataPoints: index };
}

export type SeriesState = { start: bigint; time: bigint; total: bigint; count: bigint };

/** What a cumulative point adds over its series' state, and the state after it. */
export function cumulativeDelta(state: SeriesState | undefined, p: Pick<TokenPoint, "startNanos" | "timeNanos" | "sum" | "count">) {
  const next: SeriesState = { start: p.startNanos, time: p.timeNanos, total: BigInt(p.sum), count: BigInt(p.count) };
  const whole = { sum: next.total, count: next.count, state: next };
  if (!state) return whole;
  // A point of an earlier run (delivered late): its usage is inside what that run already counted.
  if (p.startNanos < state.start) return { sum: 0n, count: 0n, state };
  // A new start time is a reset (the exporter restarted): the new run's total is all new.
  if (p.startNanos > state.start) return whole;
  // The same or an older point of this run: a retry, or out of order behind a later one already counted.
  if (p.timeNanos <= state.time) return { sum: 0n, count: 0n, state };
  // A total that went down without a new start time is a reset the exporter did not mark.
  if (next.total < state.total || next.count < state.count) return whole;
  return { sum: next.total - state.total, count: next.count - state.count, state: next };
}
