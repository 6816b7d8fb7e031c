"use client";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import { usePathname } from "next/navigation";
import { useState, useSyncExternalStore } from "react";
import { Button } from "./button";
import { overlayClass } from "./dialog";
import { SIDEBAR_KEY } from "./theme-script";

const subscribe = (onChange: () => void) => {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-sidebar"] });
  return () => observer.disconnect();
};
const isCollapsed = () => document.documentElement.dataset.sidebar === "collapsed";

/**
 * The dashboard frame. From md up the sidebar sits beside the page and can be collapsed (remembered in
 * localStorage; the head script applies it before first paint). Below md it is an off-canvas drawer behind a
 * Menu button (a Radix dialog: focus stays inside, Escape or a link closes it).
 */
export function AppShell({ sidebar, brand, children }: { sidebar: React.ReactNode; brand: React.ReactNode; children: React.ReactNode }) {
  const collapsed = useSyncExternalStore(subscribe, isCollapsed, () => false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const pathname = usePathname();
  const [openedAt, setOpenedAt] = useState(pathname);
  // Navigating closes the drawer (adjusting state during render, not in an effect).
  if (drawerOpen && openedAt !== pathname) setDrawerOpen(false);

  const toggleCollapsed = () => {
    const next = !collapsed;
    localStorage.setItem(SIDEBAR_KEY, next ? "collapsed" : "expanded");
    if (next) document.documentElement.dataset.sidebar = "collapsed";
    else delete document.documentElement.dataset.sidebar;
  };

  return (
    <div className="min-h-screen md:flex">
      <div className="flex items-center justify-between border-b border-border bg-surface px-4 py-2 md:hidden">
        {brand}
        <DialogPrimitive.Root
          open={drawerOpen}
          onOpenChange={(open) => {
            setDrawerOpen(open);
            setOpenedAt(pathname);
          }}
        >
          <DialogPrimitive.Trigger asChild>
            <Button variant="secondary" size="sm" aria-controls="mobile-nav">
              Menu
            </Button>
          </DialogPrimitive.Trigger>
          <DialogPrimitive.Portal>
            <DialogPrimitive.Overlay className={overlayClass} />
            <DialogPrimitive.Content
              id="mobile-nav"
              aria-describedby={undefined}
              className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto border-r border-border bg-surface p-4 text-foreground shadow-xl focus:outline-none"
            >
              <div className="mb-4 flex items-center justify-between">
                <DialogPrimitive.Title className="text-lg font-semibold">Menu</DialogPrimitive.Title>
                <DialogPrimitive.Close asChild>
                  <Button variant="ghost" size="sm">
                    Close
                  </Button>
                </DialogPrimitive.Close>
              </div>
              {sidebar}
            </DialogPrimitive.Content>
          </DialogPrimitive.Portal>
        </DialogPrimitive.Root>
      </div>

      <aside className="hidden shrink-0 border-r border-border bg-surface md:flex md:w-sidebar md:flex-col sidebar-collapsed:md:w-14">
        <div className="flex items-center justify-between gap-2 p-4 pb-2 sidebar-collapsed:justify-center sidebar-collapsed:px-2">
          <div className="min-w-0 sidebar-collapsed:hidden">{brand}</div>
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={!collapsed}
            aria-controls="sidebar-content"
            aria-label={collapsed ? "Show sidebar" : "Hide sidebar"}
            title={collapsed ? "Show sidebar" : "Hide sidebar"}
            onClick={toggleCollapsed}
          >
            <span aria-hidden>{collapsed ? "»" : "«"}</span>
          </Button>
        </div>
        <div id="sidebar-content" className="flex flex-1 flex-col p-4 pt-2 sidebar-collapsed:hidden">
          {sidebar}
        </div>
      </aside>

      <main id="main" tabIndex={-1} className="min-w-0 flex-1 p-4 focus:outline-none md:p-6">
        {children}
      </main>
    </div>
  );
}
