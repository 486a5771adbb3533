import { describe, expect, it } from "vitest";
import { apiUrl, bulkHref, pageSearch, readQuery } from "./query";

const q = (s: string) => readQuery(new URLSearchParams(s));

describe("device list query ↔ URLs", () => {
  it("a page URL survives a round trip, defaults left out", () => {
    const s = "?q=lobby&site=hq&tag=floor-2&status=failed&configState=drifted&driver=web&model=audiocodes-hd&page=3&size=100&sort=site&dir=desc&cols=model";
    expect(pageSearch(q(s))).toBe(s);
    expect(pageSearch(q(""))).toBe("");
  });

  it("the API URL carries the same filter with limit/offset for the page, never the column choice", () => {
    expect(apiUrl(q("site=hq&driver=provisioning&page=2&size=25&cols=model"))).toBe("/api/v1/devices?site=hq&driver=provisioning&limit=25&offset=25");
  });

  it("bulk: checked ids win over the filter; the filter alone selects all matching; nothing at all says all=1", () => {
    expect(bulkHref(q("site=hq"), ["a", "b"])).toBe("/bulk?ids=a%2Cb");
    expect(bulkHref(q("site=hq&model=mt505&page=4"), null)).toBe("/bulk?site=hq&model=mt505");
    expect(bulkHref(q(""), null)).toBe("/bulk?all=1");
  });
});
