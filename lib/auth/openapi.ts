// OpenAPI registration of the signed-in user's security API (/api/v1/account/*) and the admin's sign-out of a user.
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { identityLink, passwordChange, signOutEverywhereBody, twoFactorConfirm, twoFactorDisable } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });

export const registerAccountApi: OpenApiResource = (registry, { errors, body }) => {
  const route = (method: "get" | "post" | "delete", path: string, summary: string, description: string, request: object = {}) =>
    registry.registerPath({
      method,
      path,
      summary,
      description: `Signed-in session only (no API keys). ${description}`,
      request,
      responses: { 200: { description: "The result" }, ...errors(400, 401, 403, 404, 409) },
    });
  route("get", "/api/v1/account", "Your security overview", "Password sign-in, two-factor state, linked SSO identities, active sessions.");
  route("post", "/api/v1/account/password", "Change your password", "Needs the current password; your other sessions end at once.", body(passwordChange));
  route("post", "/api/v1/account/sign-out-everywhere", "Sign out everywhere", "Ends every other session of yours, and this one too with includeThisSession.", body(signOutEverywhereBody));
  route("post", "/api/v1/account/two-factor", "Start two-factor enrolment", "Returns a new TOTP secret, its otpauth:// URI and a QR code (SVG data URL). Not in force until confirmed.");
  route("post", "/api/v1/account/two-factor/confirm", "Confirm two-factor enrolment", "A first 6-digit code turns two-factor on; the response holds 10 recovery codes, shown only this once.", body(twoFactorConfirm));
  route("post", "/api/v1/account/two-factor/disable", "Turn two-factor off", "Needs your password and a current or recovery code.", body(twoFactorDisable));
  route("post", "/api/v1/account/identities", "Start linking an SSO identity", "Sets a 10-minute one-time cookie; then sign in with that provider to link the identity to this account.", body(identityLink));
  route("delete", "/api/v1/account/identities/{id}", "Unlink an SSO identity", "Refused (409) when it is your only way to sign in.", { params: idPath });
  registry.registerPath({
    method: "post",
    path: "/api/v1/users/{id}/sign-out",
    summary: "Sign a user out everywhere",
    description: "Admin role only. Every session of the user ends at once. Audited.",
    request: { params: idPath },
    responses: { 200: { description: "`{ sessionsEnded }`" }, ...errors(401, 403, 404) },
  });
};
