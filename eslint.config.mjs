import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const processEnv = { selector: "MemberExpression[object.name='process'][property.name='env']", message: "Read configuration through lib/env.ts" };
// Colours come from the design tokens (app/globals.css), so dark mode and contrast are decided in one place.
const palette = "/(^|[\\s:])(text|bg|border|ring|outline|fill|stroke|decoration|divide)-(slate|gray|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose)-[0-9]/";
const tokensOnly = ["Literal", "TemplateElement"].map((node) => ({
  selector: `${node}[${node === "Literal" ? "value" : "value.raw"}=${palette}]`,
  message: "Use a design token (text-muted-foreground, bg-surface, text-danger, … in app/globals.css), not a palette colour",
}));

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", "release/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Configuration is read in one place (lib/env.ts) so it is validated once.
    files: ["lib/**"],
    ignores: ["lib/env.ts"],
    rules: { "no-restricted-syntax": ["error", processEnv] },
  },
  { files: ["app/**", "components/**"], rules: { "no-restricted-syntax": ["error", processEnv, ...tokensOnly] } },
];
export default config;
