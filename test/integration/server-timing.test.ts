import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { parseServerTiming } from "../../worker/http/server-timing";

// The bench splits each latency into the worker's own time and the wait before it (bench/harness.ts)
describe("Server-Timing (SERVER_TIMING=1 only)", () => {
  it("is not sent unless the environment asks for it", async () => {
    const res = await createApp().request("http://yaolian.test/health", {}, { ...env, SERVER_TIMING: undefined });
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toBeNull();
  });

  it("gives the worker's time and start on answers and on problems alike", async () => {
    const before = Date.now();
    const timed = { ...env, SERVER_TIMING: "1" };
    const ok = await createApp().request("http://yaolian.test/health", {}, timed);
    const problem = await createApp().request("http://yaolian.test/api/v1/formulary/drugs/NOPE-0", {}, timed);
    expect(problem.status).toBe(401);
    for (const res of [ok, problem]) {
      const t = parseServerTiming(res.headers.get("server-timing") ?? undefined);
      if (!t) throw new Error(`no Server-Timing on ${res.status}: ${res.headers.get("server-timing")}`);
      expect(t.appMs).toBeGreaterThanOrEqual(0);
      expect(t.startMs).toBeGreaterThanOrEqual(before);
      expect(t.startMs).toBeLessThanOrEqual(Date.now());
    }
  });

  it("reads the header however it arrives, and nothing out of a foreign one", () => {
    expect(parseServerTiming("app;dur=12.5, start;desc=1765000000000")).toEqual({ appMs: 12.5, startMs: 1765000000000 });
    expect(parseServerTiming(["cdn;dur=3", "app;dur=4, start;desc=5"])).toEqual({ appMs: 4, startMs: 5 });
    expect(parseServerTiming("total;dur=3")).toBeNull();
    expect(parseServerTiming(undefined)).toBeNull();
  });
});
