// Request schemas of the signed-in user's security API (/api/v1/account/*), shared with the Security page's forms.
import { z } from "zod";

/** The errors the credentials sign-in reports for the login form's second step (next-auth passes them through). */

const password = z.string().min(1, "Enter your password").max(200);
const code = z.string().trim().min(1, "Enter a code").max(64);

export const passwordChange = z.strictObject({
  currentPassword: password,
  newPassword: z.string().min(12, "At least 12 characters").max(200),
});

export const twoFactorConfirm = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, "The 6-digit code from your authenticator app") });

export const twoFactorDisable = z.strictObject({ password, code });

/** Sign out everywhere: every other browser, or this one too. */
export const signOutEverywhereBody = z.strictObject({ includeThisSession: z.boolean() });

export const identityLink = z.strictObject({ provider: z.string().trim().min(1).max(50) });

export type PasswordChange = z.input<typeof passwordChange>;
export type TwoFactorDisable = z.input<typeof twoFactorDisable>;
