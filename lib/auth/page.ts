// Page guard for server components: signed-out visitors go to the login page.
import "server-only";
import { redirect } from "next/navigation";
import { sessionUser, type UserCaller } from "./caller";

export async function requirePageUser(path: string): Promise<UserCaller> {
  const user = await sessionUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}
