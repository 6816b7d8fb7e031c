// A real OpenID Connect provider for the SSO journey (npm oidc-provider, with its built-in development
// login and consent screens): any login name is accepted and becomes the subject and, by default, the email
// (verified). `claimsFor` lets a test give a login other claims (an unverified or missing email_verified, another email).
import http from "node:http";
import Provider from "oidc-provider";

export const OIDC_CLIENT_ID = "agentledger-e2e";
export const OIDC_CLIENT_SECRET = "agentledger-e2e-secret-0123456789abcdef";

type Claims = { sub: string; email?: string; email_verified?: boolean; name?: string };

const defaultClaims = (sub: string): Claims => ({ sub, email: sub, email_verified: true, name: `SSO ${sub.split("@")[0]}` });

export async function startOidcServer(
  port: number,
  redirectUri: string,
  claimsFor: (login: string) => Claims = defaultClaims,
): Promise<{ issuer: string; stop(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => claimsFor(sub),
    }),
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["e2e-only-cookie-signing-key"] },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { issuer, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
