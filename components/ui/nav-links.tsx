"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "./cn";

export type NavItem = { href: string; label: string };

export function NavLinks({ items, className }: { items: NavItem[]; className?: string }) {
  const pathname = usePathname();
  return (
    <ul className={cn("space-y-1", className)}>
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={active ? "page" : undefined}
              className={cn("block rounded-control px-3 py-2 text-sm", active ? "bg-accent font-medium text-accent-foreground" : "text-foreground hover:bg-surface-muted")}
            >
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
