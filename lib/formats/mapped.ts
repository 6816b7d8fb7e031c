// What every format mapper returns: JSON-contract events for the ingestion module, plus the input items that
// could not even be turned into one, reported with the same {index, id, errors} shape as the events API.
import type { Rejection } from "@/lib/ingest/validate";

export type MappedBatch = {
  /** Events in the issue-3 JSON contract, still unvalidated (the ingestion module validates them). */
  events: unknown[];
  /** origin[i] = index of events[i] in the client's payload, so rejections point at what the client sent. */
  origin: number[];
  /** Items rejected by the mapper itself (e.g. a CloudEvent without `time`). */
  rejected: Rejection[];
};

export function emptyBatch(): MappedBatch {
  return { events: [], origin: [], rejected: [] };
}
