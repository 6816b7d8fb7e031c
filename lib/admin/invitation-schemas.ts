// Request and response schemas of invitations (the contract). No server-only: the forms validate with them.
import { z } from "zod";
import { roles } from "./schemas";

export const PASSWORD_MIN = 12;
export const invitationPassword = z.string().min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters`).max(200);

export const invitationCreate = z.strictObject({
  email: z.email().transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(100),
  /** The least privilege unless the admin chooses otherwise. */
  role: z.enum(roles).default("viewer"),
  departmentIds: z.array(z.number().int().positive()).max(100).default([]),
});

export const invitationView = z.strictObject({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  departmentIds: z.array(z.number().int()),
  status: z.enum(["pending", "expired", "accepted", "revoked"]),
  expiresAt: z.string(),
  createdAt: z.string(),
  invitedBy: z.string().nullable(),
});
/** The link is returned once, when the invitation is created or re-sent (no mail is configured: the admin passes it on). */
export const invitationCreated = invitationView.extend({ link: z.string() }).strict();
export const invitationListResponse = z.strictObject({ invitations: z.array(invitationView) });

export const invitationLookup = z.strictObject({ token: z.string().min(10).max(200) });
export const invitationLookupResponse = z.strictObject({ email: z.string(), name: z.string(), role: z.enum(roles), expiresAt: z.string() });
export const invitationAccept = z.strictObject({ token: z.string().min(10).max(200), password: invitationPassword });
export const invitationAccepted = z.strictObject({ email: z.string() });

export type InvitationView = z.infer<typeof invitationView>;
export type InvitationCreated = z.infer<typeof invitationCreated>;
