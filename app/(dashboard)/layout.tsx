import Image from "next/image";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/page";
import { roleAllows } from "@/lib/auth/permissions";
import { AppShell } from "@/components/ui/app-shell";
import { NavLinks, type NavItem } from "@/components/ui/nav-links";
import { SignOutButton } from "@/components/ui/sign-out-button";
import { ThemeToggle } from "@/components/ui/theme";
import { setupComplete } from "@/lib/onboarding/checklist";
import { TimeZoneProvider } from "@/components/ui/time-zone";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("/");
  const items: NavItem[] = [
    ...((await setupComplete(user)) ? [] : [{ href: "/getting-started", label: "Getting started" }]),
    { href: "/", label: "Overview" },
    { href: "/usage", label: "Usage" },
    { href: "/workload", label: "Workload" },
    { href: "/roi", label: "ROI" },
    { href: "/allocation", label: "Allocation" },
    { href: "/events", label: "Events" },
    // Invoices are organisation-wide: not for department-scoped users (lib/auth/scope.ts).
    ...(user.departmentIds ? [] : [{ href: "/invoices", label: "Invoices" }]),
    ...(!user.departmentIds && roleAllows(user.role, "billing:write") ? [{ href: "/approvals", label: "Approvals" }] : []),
    ...(roleAllows(user.role, "admin") ? [{ href: "/import", label: "Import" }] : []),
    ...(roleAllows(user.role, "admin") || roleAllows(user.role, "baselines:write") ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  const brand = (
    <Link href="/" className="flex items-center gap-2 text-lg font-semibold">
      <Image src="/logo.svg" alt="" width={28} height={28} priority unoptimized />
      AgentLedger
    </Link>
  );
  return (
    <AppShell
      brand={brand}
      sidebar={
        <nav aria-label="Main" className="flex flex-1 flex-col">
          <NavLinks items={items} />
          <div className="mt-auto space-y-1 px-3 pt-6 text-sm">
            <div className="truncate font-medium" title={user.email}>{user.name}</div>
            <div className="text-muted-foreground">
              {user.role}
              {user.departmentIds ? " · scoped" : ""}
            </div>
            <Link href="/notifications" className="block text-muted-foreground underline hover:text-foreground">
              Notifications
            </Link>
            <Link href="/account" className="block text-muted-foreground underline hover:text-foreground">
              Security
            </Link>
            <ThemeToggle />
            <SignOutButton />
          </div>
        </nav>
      }
    >
      <TimeZoneProvider timeZone={(await orgSettings()).timeZone}>{children}</TimeZoneProvider>
    </AppShell>
  );
}
