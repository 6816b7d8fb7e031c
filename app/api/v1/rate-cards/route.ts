// GET|POST /api/v1/rate-cards — rate card versions with their charges; create a card's next version
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { rateCardCreate } from "@/lib/billing/rate-card-schemas";
import { createRateCard, listRateCards } from "@/lib/billing/rate-cards";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: async ({ caller }) => ({ items: await listRateCards(caller) }) });

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: rateCardCreate,
  handler: async ({ caller, body }) => NextResponse.json(await createRateCard(caller, body), { status: 201 }),
});
