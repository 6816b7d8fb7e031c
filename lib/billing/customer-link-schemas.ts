// /api/v1/customers/{id}/links contract: request and response schemas (source of the OpenAPI document).
import { z } from "zod";

export const MAX_LINK_DAYS = 90;

export const customerLinkCreate = z
  .object({
    expiresInDays: z.number().int().min(1).max(MAX_LINK_DAYS).default(30).meta({ description: `Days until the link stops working (1–${MAX_LINK_DAYS})` }),
    note: z.string().trim().min(1).max(200).optional().meta({ description: "Who the link is for, e.g. 'Accounts payable'" }),
  })
  .strict();

export type CustomerLinkCreate = z.infer<typeof customerLinkCreate>;

export const linkParams = z.object({ id: z.coerce.number().int().positive(), linkId: z.coerce.number().int().positive() }).strict();

export const customerLink = z
  .object({
    id: z.number().int(),
    prefix: z.string().meta({ description: "First characters of the token, to recognise a link" }),
    note: z.string().nullable(),
    status: z.enum(["active", "expired", "revoked"]),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .strict()
  .meta({ id: "CustomerLink" });

export type CustomerLinkDto = z.infer<typeof customerLink>;

export const customerLinkCreated = customerLink
  .extend({
    token: z.string().meta({ description: "The secret: shown only in this response" }),
    path: z.string().meta({ description: "The customer's page, /c/<token>, relative to this site" }),
  })
  .strict();

export const customerLinkList = z.object({ links: z.array(customerLink) }).strict();
