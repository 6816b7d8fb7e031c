// The pinned catalog's audio prices reach the price rows (input_audio_mtok / output_audio_mtok), and a call with audio
// tokens prices through the book as an independent decimal.js computation says.
import Decimal from "decimal.js";
import { waitForUpdate } from "@pydantic/genai-prices";
import { beforeAll, expect, it } from "vitest";
import { catalogRows, type CatalogProviderData } from "./catalog";
import { bookFromCatalog } from "./test-book";

let data: CatalogProviderData[];
beforeAll(async () => {
  data = (await waitForUpdate()) as unknown as CatalogProviderData[];
});

it("fills the audio prices from the catalog; models without them keep null", () => {
  const rows = catalogRows(data).rows;
  const row = (provider: string, model: string) => rows.find((r) => r.provider === provider && r.model === model && r.effectiveTo === null)!;
  // Published list prices (platform.openai.com/docs/pricing, ai.google.dev/gemini-api/docs/pricing).
  expect(row("openai", "gpt-realtime")).toMatchObject({ inputPerMTok: "4", outputPerMTok: "16", inputAudioPerMTok: "32", outputAudioPerMTok: "64" });
  expect(row("google", "gemini-2.5-flash")).toMatchObject({ inputPerMTok: "0.3", inputAudioPerMTok: "1", outputAudioPerMTok: null });
  expect(row("openai", "gpt-4o")).toMatchObject({ inputAudioPerMTok: null, outputAudioPerMTok: null });
  expect(rows.filter((r) => r.inputAudioPerMTok !== null).length).toBeGreaterThanOrEqual(15);
});

it("prices a realtime call's audio tokens at the audio prices", () => {
  const { book } = bookFromCatalog(data);
  const priced = book.price("gpt-realtime", Date.parse("2026-11-20T10:00:00Z"), null, { inputTokens: 5_000, audioInputTokens: 4_000, outputTokens: 700, audioOutputTokens: 600 });
  expect(priced.ok).toBe(true);
  const want = new Decimal(1_000).times(4).plus(new Decimal(4_000).times(32)).plus(new Decimal(100).times(16)).plus(new Decimal(600).times(64)).div(1e6);
  expect(priced.ok && priced.cost).toBe(want.toFixed(10));
});
