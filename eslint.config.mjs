import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", "release/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Configuration is read in one place (lib/env.ts) so it is validated once.
    files: ["app/**", "components/**", "lib/**"],
    ignores: ["lib/env.ts"],
    rules: { "no-restricted-syntax": ["error", { selector: "MemberExpression[object.name='process'][property.name='env']", message: "Read configuration through lib/env.ts" }] },
  },
];
export default config;
