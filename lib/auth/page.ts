// Page guard for server components: signed-out visitors go to the login page.
import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { pageSessionUser, type UserCaller } from "./caller";
import { roleAllows, type Permission } from "./permissions";

// The layout and the page both guard themselves; one session check per request serves both.
const requestUser = cache(pageSessionUser);

/** The Security page, where a user the organization requires to enrol in two-factor is sent before anything else. */
export const SECURITY_PAGE = "/account";

export async function requirePageUser(path: string): Promise<UserCaller> {
  const user = await requestUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  if (user.mustEnrolTwoFactor && path !== SECURITY_PAGE) redirect(SECURITY_PAGE);
  return user;
}

/** The signed-in user if their role grants `permission`, else null (the page then renders <Forbidden>). */
export async function pageUserWith(path: string, permission: Permission): Promise<UserCaller | null> {
  const user = await requirePageUser(path);
  return roleAllows(user.role, permission) ? user : null;
}
