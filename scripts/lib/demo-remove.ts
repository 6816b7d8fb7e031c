// demo:remove, shared by the source tree's script and the release's bundled one.
import type pg from "pg";
import { findDemoData, hasDemoData, removeDemoData } from "./production";

export async function demoRemoveCommand(client: pg.Client, confirmed: boolean, confirmCommand: string): Promise<void> {
  const found = await findDemoData(client);
  if (!hasDemoData(found)) {
    console.log("no demo data found: nothing to do");
    return;
  }
  if (!confirmed) {
    console.log(
      found.demoOrganization
        ? "This database holds the seeded demo organization: removing it empties every table (events, invoices, users…); migrations are kept."
        : `This removes the demo accounts ${found.users.join(", ")} and the API keys they created.`,
    );
    console.log(`Run again with --yes to do it: ${confirmCommand}`);
    process.exitCode = 2;
    return;
  }
  console.log(await removeDemoData(client));
}
