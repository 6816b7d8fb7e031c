// The reasons a credentials sign-in reports to the login form (next-auth's ?error=). Kept apart from the zod schemas:
// the login page must not load zod, whose eval check is reported as a Content-Security-Policy issue in the browser.
export const TWO_FACTOR_REQUIRED = "TwoFactorRequired";
export const TWO_FACTOR_INVALID = "TwoFactorInvalid";
