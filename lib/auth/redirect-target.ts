// Where to send a user after signing in, from a value the request supplied (callbackUrl). Used by the login
// page, the login form and next-auth's redirect callback; imported by client code too, so no "server-only".
// A prefix test such as startsWith("/") is not enough: browsers read "/\evil.example" and "/\t/evil.example"
// as "//evil.example", another host. So the value is parsed as a browser would and its origin compared.

/**
 * The path (with query and fragment) that `value` leads to when resolved against `origin`, if it stays on
 * that origin; otherwise `fallback`.
 */
export function sameOriginPath(value: unknown, origin: string, fallback = "/"): string {
  if (typeof value !== "string" || value === "") return fallback;
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.example" resolves to the path "//evil.example", which a browser would read as another host.
  return path.startsWith("//") ? fallback : path;
}
