// Plain module (not "use client"): the root layout, a server component, inlines the script's text.

/** localStorage key: "light" or "dark" when the user chose one; absent = follow the system. */
export const THEME_KEY = "agentledger-theme";
/** localStorage key: "collapsed" when the user hid the sidebar (components/ui/app-shell.tsx). */
export const SIDEBAR_KEY = "agentledger-sidebar";

/**
 * Runs in <head> before first paint (app/layout.tsx), so a dark page never flashes light: sets `dark` on <html>
 * from the stored choice or the system preference, and follows system changes while no choice is stored. Also
 * applies a collapsed sidebar (data-sidebar on <html>) so the page does not jump after hydration.
 */
export const themeScript = `(function(){try{var k=${JSON.stringify(THEME_KEY)},m=window.matchMedia("(prefers-color-scheme: dark)");function a(){var s=localStorage.getItem(k);document.documentElement.classList.toggle("dark",s?s==="dark":m.matches)}a();m.addEventListener("change",a);if(localStorage.getItem(${JSON.stringify(SIDEBAR_KEY)})==="collapsed")document.documentElement.dataset.sidebar="collapsed"}catch(e){}})()`;
