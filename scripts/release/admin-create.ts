// node admin-create.js --email EMAIL [--name NAME] (npm run admin:create -- ... in the release)
import { adminCreateCommand } from "../lib/admin";
import { connect, runMain } from "./common";

runMain(async () => {
  let client: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    await adminCreateCommand(process.argv.slice(2), async () => (client = await connect()));
  } finally {
    await client?.end();
  }
});
