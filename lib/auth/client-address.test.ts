import { describe, expect, test } from "vitest";
import { isProxyList } from "@/lib/env";
import { clientAddress, parseTrustedProxies, PEER_HEADER } from "./client-address";

const none = parseTrustedProxies("none");
const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8");

describe("clientAddress", () => {
  test("without trusted proxies the socket's address counts and X-Forwarded-For is ignored", () => {
    expect(clientAddress({ [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": "203.0.113.1" }, none)).toBe("198.51.100.7");
    expect(clientAddress(new Headers({ [PEER_HEADER]: "::ffff:198.51.100.7" }), none)).toBe("198.51.100.7");
  });

  test("a peer that is not a trusted proxy cannot pick its address either", () => {
    expect(clientAddress({ [PEER_HEADER]: "198.51.100.7", "x-forwarded-for": "203.0.113.1" }, proxies)).toBe("198.51.100.7");
  });

  test("behind trusted proxies: the rightmost entry that is not one of them", () => {
    const via = (xff: string, peer = "10.1.2.3") => clientAddress({ [PEER_HEADER]: peer, "x-forwarded-for": xff }, proxies);
    expect(via("203.0.113.1")).toBe("203.0.113.1");
    expect(via("6.6.6.6, 203.0.113.1, 10.9.9.9")).toBe("203.0.113.1");
    expect(via("203.0.113.1, fd00::1", "::ffff:127.0.0.1")).toBe("203.0.113.1");
    expect(via("10.0.0.5")).toBe("10.0.0.5");
    expect(via("")).toBe("10.1.2.3");
  });

  test("a request whose socket address was not recorded is 'unknown'", () => {
    expect(clientAddress({ "x-forwarded-for": "203.0.113.1" }, proxies)).toBe("unknown");
  });
});

describe("TRUSTED_PROXIES", () => {
  test.each(["none", "NONE", "127.0.0.1", "10.0.0.0/8, 192.168.0.0/16", "::1,fd00::/8"])("%j is valid", (v) => expect(isProxyList(v)).toBe(true));
  test.each(["", "localhost", "10.0.0.0/33", "10.0.0.0/8/1", "::1/129", "10.0.0.0/x", "127.0.0.1,"])("%j is refused", (v) => expect(isProxyList(v)).toBe(false));
});
