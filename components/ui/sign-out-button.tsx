"use client";
import { signOut } from "next-auth/react";
import { Button } from "./button";

export function SignOutButton() {
  return (
    <Button variant="link" size="sm" onClick={() => signOut({ callbackUrl: "/login" })} className="block text-muted-foreground underline hover:text-foreground">
      Sign out
    </Button>
  );
}
