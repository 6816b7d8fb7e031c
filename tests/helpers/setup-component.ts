// Vitest setupFiles (component project): Testing Library unmounts after each test only when test globals are on;
// they are off here, so do it explicitly. jsdom lacks a few browser APIs that Radix uses.
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(cleanup);

globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// Radix Toast's swipe handling calls pointer capture on close-button clicks.
Element.prototype.hasPointerCapture ??= () => false;
Element.prototype.releasePointerCapture ??= () => {};
