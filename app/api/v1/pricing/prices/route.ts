// GET /api/v1/pricing/prices — prices in effect now (catalog and own rows): list price, discount, effective price
import { withRoute } from "@/lib/api/route";
import { effectivePrices } from "@/lib/pricing/admin";
import { pricesQuery } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "either", permission: "read", query: pricesQuery, handler: async ({ query }) => effectivePrices(query) });
