// GET /api/v1/fx-rates/pending — events awaiting an FX rate, per currency and day (their cost counts as 0 until then)
import { withRoute } from "@/lib/api/route";
import { fxPending } from "@/lib/currency/pending";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", handler: ({ caller }) => fxPending(caller) });
