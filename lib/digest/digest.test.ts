import { describe, expect, it } from "vitest";
import { authorizationFor, challengeHeader, digestResponse, parseAuthorization, parseChallenge, verifyAuthorization } from ".";

describe("digest", () => {
  it("computes RFC 2617 §3.5's example response", () => {
    expect(
      digestResponse({ algorithm: "MD5", username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life", method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qop: "auth", nc: "00000001", cnonce: "0a4f113b" }),
    ).toBe("6629fae49393a05397450978507c4ef1");
  });

  it("round-trips a challenge and an answer (quotes, commas inside quotes)", () => {
    const header = challengeHeader({ realm: 'pro "vis", ioning', nonce: "abc", opaque: "o" });
    const challenge = parseChallenge(header);
    expect(challenge).toMatchObject({ realm: 'pro "vis", ioning', nonce: "abc", opaque: "o", qop: ["auth"], algorithm: "MD5" });
    const answer = parseAuthorization(authorizationFor(challenge!, { username: "phone", password: "pw", method: "GET", uri: "/provisioning/x.cfg" }));
    expect(answer).toMatchObject({ username: "phone", realm: 'pro "vis", ioning', qop: "auth", nc: "00000001", opaque: "o" });
    expect(verifyAuthorization(answer!, "GET", "pw")).toBe(true);
    expect(verifyAuthorization(answer!, "GET", "other")).toBe(false);
    expect(verifyAuthorization(answer!, "POST", "pw")).toBe(false);
  });

  it("refuses what is not a usable Digest header", () => {
    expect(parseChallenge('Basic realm="x"')).toBeNull();
    expect(parseChallenge('Digest realm="x", nonce="n", algorithm=SHA-512')).toBeNull();
    expect(parseAuthorization('Digest username="a"')).toBeNull();
  });
});
