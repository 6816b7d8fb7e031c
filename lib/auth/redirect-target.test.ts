import { describe, expect, test } from "vitest";
import { sameOriginPath } from "./redirect-target";

const origin = "http://app.example:3000";

describe("sameOriginPath", () => {
  test.each([
    "/\\evil.example/phish",
    "//evil.example/phish",
    "https://evil.example/phish",
    "\\\\evil.example/phish",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.//evil.example",
    "javascript:alert(1)",
    "http://app.example:3001/",
    "https://app.example:3000/",
    "",
    undefined,
    42,
  ])("%j leaves the site: the fallback", (value) => {
    expect(sameOriginPath(value, origin)).toBe("/");
  });

  test.each([
    ["/", "/"],
    ["/usage?granularity=day#chart", "/usage?granularity=day#chart"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/a/../admin/users", "/admin/users"],
    ["http://app.example:3000/roi", "/roi"],
    ["relative", "/relative"],
  ])("%j stays on the site as %j", (value, path) => {
    expect(sameOriginPath(value, origin)).toBe(path);
  });
});
