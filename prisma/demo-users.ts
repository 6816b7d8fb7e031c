// The demo logins: created by prisma/seed.ts, printed by `npm start`, used by e2e/fixtures.ts.
// Demo-only credentials; never use them outside a local/demo database.
export type DemoRole = "admin" | "finance" | "ops" | "viewer";

export interface DemoUser {
  email: string;
  name: string;
  role: DemoRole;
  password: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { email: "admin@demo.agentledger.dev", name: "Ada Admin", role: "admin", password: "demo-admin-password" },
  { email: "finance@demo.agentledger.dev", name: "Fran Finance", role: "finance", password: "demo-finance-password" },
  { email: "ops@demo.agentledger.dev", name: "Oscar Ops", role: "ops", password: "demo-ops-password" },
  { email: "viewer@demo.agentledger.dev", name: "Vera Viewer", role: "viewer", password: "demo-viewer-password" },
];

export function demoUser(role: DemoRole): DemoUser {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user for role ${role}`);
  return user;
}
