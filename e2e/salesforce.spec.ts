// Salesforce journey: an admin connects an org (a local server speaking the Salesforce REST formats), maps the
// consumption object's fields, tests the connection, syncs, and finds the imported usage on the Usage page.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, loginAs, test } from "./fixtures";

const V = "/services/data/v62.0";
const run = Date.now().toString(36);
const agent = `agentforce-e2e-${run}`;
const FIELDS = ["Id", "SystemModstamp", "Consumed_At__c", "Agent__c", "Action__c", "Credits__c", "Account__c"];

function records() {
  return [0, 1, 2].map((i) => {
    const at = new Date(Date.now() - (3 - i) * 3_600_000).toISOString().replace("Z", "+0000");
    return { attributes: { type: "AgentforceUsage__c", url: `${V}/sobjects/AgentforceUsage__c/a0${run}${i}` }, Id: `a0${run}${i}`, SystemModstamp: at, Consumed_At__c: at, Agent__c: agent, Action__c: "Agentforce Answer", Credits__c: 20, Account__c: `001E2E${run}` };
  });
}

let server: http.Server;
let instanceUrl = "";

test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://fixture");
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "POST" && url.pathname === "/services/oauth2/token") return send(200, { access_token: "00Dtoken", instance_url: instanceUrl, token_type: "Bearer", issued_at: String(Date.now()), signature: "x" });
    if (req.headers.authorization !== "Bearer 00Dtoken") return send(401, [{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    if (url.pathname === `${V}/sobjects/AgentforceUsage__c/describe`) return send(200, { name: "AgentforceUsage__c", fields: FIELDS.map((name) => ({ name, type: "string" })) });
    if (url.pathname === `${V}/query`) {
      const all = records();
      return send(200, { totalSize: all.length, done: false, nextRecordsUrl: `${V}/query/01gE2E-2`, records: all.slice(0, 2) });
    }
    if (url.pathname === `${V}/query/01gE2E-2`) return send(200, { totalSize: 3, done: true, records: records().slice(2) });
    return send(404, [{ message: "not found", errorCode: "NOT_FOUND" }]);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  instanceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((r) => server.close(r));
});

test("admin connects a Salesforce org, maps fields, syncs, and sees the usage", async ({ page }) => {
  const name = `Acme org ${run}`;
  await loginAs(page, "admin");
  await page.goto("/admin/connectors");

  await test.step("connect the org and map the consumption object's fields", async () => {
    await page.getByLabel("Connection name").fill(name);
    await page.getByLabel("Instance URL").fill(instanceUrl);
    await page.getByLabel("Client id").fill("3MVG9-e2e");
    await page.getByLabel(/^Client secret/).fill("e2e-secret");
    await page.getByLabel("Consumption object").fill("AgentforceUsage__c");
    await page.getByLabel("Timestamp field").fill("Consumed_At__c");
    await page.getByLabel("Agent field").fill("Agent__c");
    await page.getByLabel("Usage type field").fill("Action__c");
    await page.getByLabel("Credits field").fill("Credits__c");
    await page.getByLabel("Account Id field").fill("Account__c");
    await page.getByRole("button", { name: "Connect org" }).click();
  });

  const connection = page.getByRole("region", { name: `Salesforce connection ${name}` });
  await test.step("test the connection", async () => {
    await connection.getByRole("button", { name: "Test connection" }).click();
    await expect(connection.getByRole("status")).toContainText("mapping OK");
  });

  await test.step("sync: three records over two pages", async () => {
    await connection.getByRole("button", { name: "Sync now" }).click();
    await expect(connection.getByTestId("salesforce-last-run")).toContainText("succeeded", { timeout: 20_000 });
    await expect(connection.getByTestId("salesforce-last-run")).toContainText("3 imported");
  });

  await test.step("the imported usage is on the Usage page", async () => {
    await page.goto("/usage?groupBy=agent");
    await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
    await page.getByLabel("Agent", { exact: true }).selectOption(agent);
    await expect(page).toHaveURL(/agent=/);
    // 3 records × 20 credits at $500 per 100,000 credits.
    await expect(page.getByRole("row").filter({ hasText: agent }).first()).toContainText("$0.30");
  });
});
