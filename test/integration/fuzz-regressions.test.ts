import { beforeAll, describe, expect, it } from "vitest";
import { monthSpan } from "../../worker/reviews/sampler";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

/** Each bug the fuzzing found, with the request that found it (test/integration/fuzz-*.test.ts). */
describe("bugs found by fuzzing", () => {
  beforeAll(loadDemoSeed);

  it("POST /reviews/samples {month: '0000-01'} was a 500 (a year below 1000 made an invalid date)", async () => {
    expect(monthSpan("0000-01")).toEqual({ startAt: "-000001-12-31T16:00:00.000Z", endAt: "0000-01-31T16:00:00.000Z" });
    expect(monthSpan("0999-12").endAt).toBe("0999-12-31T16:00:00.000Z");
    const res = await api("POST", "/reviews/samples", { token: await asAdmin(), body: { month: "0000-01" } });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type") ?? "").toContain(res.status >= 400 ? "problem+json" : "json");
  });
});
