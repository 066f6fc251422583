import { beforeAll, describe, expect, it } from "vitest";
import type { SettingView } from "../../worker/settings/settings.schemas";
import { api, asAdmin } from "../support/api";
import { loadDemoSeed } from "../support/seed";

type Answer = SettingView & { code?: string; detail?: string; issues?: { path: string; message: string }[] };

const put = async (key: string, body: unknown, ifMatch?: string) =>
  api<Answer>("PUT", `/settings/${key}`, { token: await asAdmin(), headers: ifMatch === undefined ? {} : { "if-match": ifMatch }, body });

describe("consortium settings: errors", () => {
  beforeAll(loadDemoSeed);

  it("needs If-Match (428), a version (412) and the current one (412)", async () => {
    expect((await put("uncollectedExpiryDays", { value: 10 })).status).toBe(428);
    expect((await put("uncollectedExpiryDays", { value: 10 }, "latest")).status).toBe(412);
    expect((await put("uncollectedExpiryDays", { value: 10 }, '"3"')).body).toMatchObject({ code: "precondition-failed", detail: expect.stringContaining("version 0, not 3") });
    expect((await put("uncollectedExpiryDays", { value: 10 }, '"0"')).status).toBe(200);
    const stale = await put("uncollectedExpiryDays", { value: 12 }, '"0"');
    expect(stale.status).toBe(412);
    const now = await api<SettingView>("GET", "/settings/uncollectedExpiryDays", { token: await asAdmin() });
    expect(now.body).toMatchObject({ value: 10, version: 1 });
  });

  it("rejects values outside the key's schema with 400 and the path, changing nothing", async () => {
    const cases: [string, unknown][] = [
      ["uncollectedExpiryDays", 0],
      ["uncollectedExpiryDays", 61],
      ["uncollectedExpiryDays", 7.5],
      ["uncollectedExpiryDays", "7"],
      ["reviewTargetMinutes", 4],
      ["reviewTargetMinutes", 1441],
      ["instalmentLeadDays", -1],
      ["instalmentLeadDays", 29],
      ["coldChainOnLongRx", "yes"],
      ["coldChainOnLongRx", 1],
      ["antiviralsOnLongRx", "true"],
      ["refillGraceDays", -1],
      ["refillGraceDays", 15],
      ["refillGraceDays", 3.5],
      ["reviewSampleSize", 0],
      ["reviewSampleSize", 1001],
      ["reviewTargetMinutes", null],
    ];
    for (const [key, value] of cases) {
      const before = await api<SettingView>("GET", `/settings/${key}`, { token: await asAdmin() });
      const res = await put(key, { value }, String(before.body.version));
      expect(res.status, `${key}=${JSON.stringify(value)}`).toBe(400);
      expect(res.body.code).toBe("validation-failed");
      expect(res.body.issues?.[0]?.path).toBe("value");
      const after = await api<SettingView>("GET", `/settings/${key}`, { token: await asAdmin() });
      expect(after.body).toEqual(before.body);
    }
  });

  it("rejects a body without value or with extra fields", async () => {
    expect((await put("reviewTargetMinutes", {}, "0")).status).toBe(400);
    expect((await put("reviewTargetMinutes", { value: 40, note: "x" }, "0")).status).toBe(400);
    expect((await put("reviewTargetMinutes", [40], "0")).status).toBe(400);
  });

  it("answers 404 for an unknown key", async () => {
    expect((await api("GET", "/settings/maxItems", { token: await asAdmin() })).status).toBe(404);
    expect((await put("maxItems", { value: 5 }, "0")).status).toBe(404);
    expect((await put("__proto__", { value: 5 }, "0")).status).toBe(404);
    expect((await api("GET", "/settings/constructor/history", { token: await asAdmin() })).status).toBe(404);
  });

  it("lets exactly one of two concurrent changes from the same version win; the other is 412", async () => {
    const results = await Promise.all([put("instalmentLeadDays", { value: 5 }, "0"), put("instalmentLeadDays", { value: 3 }, "0"), put("instalmentLeadDays", { value: 10 }, "0")]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    const winner = results.find((r) => r.status === 200)?.body;
    const now = await api<SettingView>("GET", "/settings/instalmentLeadDays", { token: await asAdmin() });
    expect(now.body).toMatchObject({ value: winner?.value, version: 1 });
  });
});
