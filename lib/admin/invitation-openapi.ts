// OpenAPI registration of invitations (schemas from ./invitation-schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { invitationAccept, invitationAccepted, invitationCreate, invitationCreated, invitationListResponse, invitationLookup, invitationLookupResponse, invitationView } from "./invitation-schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });

export const registerInvitationsApi: OpenApiResource = (registry, { errors, json }) => {
  registry.registerPath({ method: "get", path: "/api/v1/invitations", summary: "Pending and expired invitations", description: "Admin role only.", responses: { 200: json(invitationListResponse, "Invitations, newest first"), ...errors(401, 403) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invitations",
    summary: "Invite a user by email",
    description: "Role defaults to viewer. Returns a signed, single-use link valid for 7 days, once (no mail is configured: the admin passes it on). A new invitation to the same email replaces the earlier link. Audited. Admin role only.",
    request: { body: { required: true, content: { "application/json": { schema: invitationCreate } } } },
    responses: { 201: json(invitationCreated, "The invitation and its link"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({ method: "delete", path: "/api/v1/invitations/{id}", summary: "Revoke an invitation", description: "Its link stops working. Audited. Admin role only.", request: { params: idPath }, responses: { 200: json(invitationView, "The revoked invitation"), ...errors(400, 401, 403, 404) } });
  registry.registerPath({ method: "post", path: "/api/v1/invitations/{id}/resend", summary: "Re-send an invitation", description: "A new link and expiry; the previous link stops working. Audited. Admin role only.", request: { params: idPath }, responses: { 200: json(invitationCreated, "The invitation and its new link"), ...errors(400, 401, 403, 404) } });
  registry.registerPath({ method: "get", path: "/api/v1/invitations/accept", summary: "Who an invitation link invites", description: "No session: the token is the credential. 404 when the link is invalid, expired, revoked or used.", security: [], request: { query: invitationLookup }, responses: { 200: json(invitationLookupResponse, "The invitee"), ...errors(400, 404) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invitations/accept",
    summary: "Accept an invitation: set a password",
    description: "Creates the user with the invitation's role and department scope and uses the link up (single use). No session. Audited.",
    security: [],
    request: { body: { required: true, content: { "application/json": { schema: invitationAccept } } } },
    responses: { 201: json(invitationAccepted, "The new user's email, to sign in with"), ...errors(400, 404, 409) },
  });
};
