// CSRF defence for cookie-authenticated JSON mutations: the browser's Origin header must name this site.
// Browsers always send Origin on non-GET requests, and a cross-site page cannot forge it. API keys are
// not ambient credentials, so requests that carry one need no such check.
import "server-only";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSameOriginMutation(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
