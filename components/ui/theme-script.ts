// Plain module (not "use client"): the root layout, a server component, inlines the script's text.

/** localStorage key: "light" or "dark" when the user chose one; absent = follow the system. */
export const THEME_KEY = "agentledger-theme";

/**
 * Runs in <head> before first paint (app/layout.tsx), so a dark page never flashes light: sets `dark` on <html>
 * from the stored choice or the system preference, and follows system changes while no choice is stored.
 */
export const themeScript = `(function(){try{var k=${JSON.stringify(THEME_KEY)},m=window.matchMedia("(prefers-color-scheme: dark)");function a(){var s=localStorage.getItem(k);document.documentElement.classList.toggle("dark",s?s==="dark":m.matches)}a();m.addEventListener("change",a)}catch(e){}})()`;
