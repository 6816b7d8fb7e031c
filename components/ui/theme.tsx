"use client";
import { useSyncExternalStore } from "react";
import { Button } from "./button";
import { THEME_KEY } from "./theme-script";

const subscribe = (onChange: () => void) => {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
};
const isDark = () => document.documentElement.classList.contains("dark");

/** The sidebar's switch: stores the opposite of what is shown now. */
export function ThemeToggle() {
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  const toggle = () => {
    const next = dark ? "light" : "dark";
    localStorage.setItem(THEME_KEY, next);
    document.documentElement.classList.toggle("dark", next === "dark");
  };
  return (
    <Button variant="link" size="sm" aria-pressed={dark} onClick={toggle} className="text-muted-foreground hover:text-foreground">
      Dark mode
    </Button>
  );
}
