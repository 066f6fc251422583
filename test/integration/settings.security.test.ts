import { beforeAll, describe, expect, it } from "vitest";
import { api, asAdmin, asDoctor, asPharmacist } from "../support/api";
import { loadDemoSeed } from "../support/seed";

describe("consortium settings: who may do what", () => {
  beforeAll(loadDemoSeed);

  it("answers 401 without a token", async () => {
    expect((await api("GET", "/settings")).status).toBe(401);
    expect((await api("PUT", "/settings/reviewTargetMinutes", { headers: { "if-match": "0" }, body: { value: 40 } })).status).toBe(401);
  });

  it("lets only admins change a setting or read its history (403 for doctors and pharmacists, nothing changed)", async () => {
    for (const token of [await asDoctor(), await asPharmacist()]) {
      const res = await api<{ code: string }>("PUT", "/settings/uncollectedExpiryDays", { token, headers: { "if-match": "0" }, body: { value: 1 } });
      expect(res.status).toBe(403);
      expect((await api("GET", "/settings/uncollectedExpiryDays/history", { token })).status).toBe(403);
    }
    const now = await api<{ value: number; version: number }>("GET", "/settings/uncollectedExpiryDays", { token: await asAdmin() });
    expect(now.body).toMatchObject({ value: 7, version: 0 });
  });
});
