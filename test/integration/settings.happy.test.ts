import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { SettingView } from "../../worker/settings/settings.schemas";
import { api, asAdmin, asDoctor, asPharmacist } from "../support/api";
import { loadDemoSeed } from "../support/seed";

interface SettingsBody {
  values: Record<string, number | boolean>;
  items: SettingView[];
}

const put = async (key: string, value: unknown, version: string) =>
  api<SettingView>("PUT", `/settings/${key}`, { token: await asAdmin(), headers: { "if-match": version }, body: { value } });

describe("consortium settings", () => {
  beforeAll(loadDemoSeed);

  it("shows every key at its national default, version 0, to every role", async () => {
    for (const token of [await asAdmin(), await asDoctor(), await asPharmacist()]) {
      const res = await api<SettingsBody>("GET", "/settings", { token });
      expect(res.status).toBe(200);
      expect(res.body.values).toEqual({ uncollectedExpiryDays: 7, reviewTargetMinutes: 30, instalmentLeadDays: 7, coldChainOnLongRx: false, antiviralsOnLongRx: false, refillGraceDays: 7, reviewSampleSize: 100 });
      const lead = res.body.items.find((i) => i.key === "instalmentLeadDays");
      expect(lead).toEqual({
        key: "instalmentLeadDays",
        label: "分次发药提前放行天数",
        description: expect.any(String),
        value: 7,
        default: 7,
        schema: { type: "integer", minimum: 0, maximum: 28 },
        isDefault: true,
        version: 0,
        updatedAt: null,
        updatedBy: null,
      });
      expect(res.body.items.map((i) => i.key)).toEqual(["uncollectedExpiryDays", "reviewTargetMinutes", "instalmentLeadDays", "coldChainOnLongRx", "antiviralsOnLongRx", "refillGraceDays", "reviewSampleSize"]);
    }
  });

  it("sets a key from its default with If-Match 0, versions it, audits it and lists its history", async () => {
    const first = await put("reviewTargetMinutes", 45, '"0"');
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('"1"');
    expect(first.body).toMatchObject({ key: "reviewTargetMinutes", value: 45, default: 30, isDefault: false, version: 1, updatedBy: "admin-county" });

    const second = await put("reviewTargetMinutes", 20, "1");
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ value: 20, version: 2 });

    const one = await api<SettingView>("GET", "/settings/reviewTargetMinutes", { token: await asPharmacist() });
    expect(one.status).toBe(200);
    expect(one.headers.get("etag")).toBe('"2"');
    expect(one.body).toMatchObject({ value: 20, version: 2, isDefault: false });
    const all = await api<SettingsBody>("GET", "/settings", { token: await asDoctor() });
    expect(all.body.values.reviewTargetMinutes).toBe(20);

    const history = await api<{ items: { actorId: string; before: unknown; after: unknown }[] }>("GET", "/settings/reviewTargetMinutes/history", { token: await asAdmin() });
    expect(history.status).toBe(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ actorId: "admin-county", before: { value: 45, version: 1, isDefault: false }, after: { value: 20, version: 2 } }),
      expect.objectContaining({ actorId: "admin-county", before: { value: 30, version: 0, isDefault: true }, after: { value: 45, version: 1 } }),
    ]);
  });

  it("takes booleans for a switch, and setting the value it already has changes nothing", async () => {
    const on = await put("coldChainOnLongRx", true, '"0"');
    expect(on.body).toMatchObject({ value: true, version: 1 });
    const again = await put("coldChainOnLongRx", true, '"1"');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ value: true, version: 1 });
    const audits = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE entity_type = 'consortium_setting' AND entity_id = 'coldChainOnLongRx'").first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });

  it("accepts the bounds themselves", async () => {
    const cases: [string, number][] = [
      ["uncollectedExpiryDays", 1],
      ["uncollectedExpiryDays", 60],
      ["instalmentLeadDays", 0],
      ["instalmentLeadDays", 28],
    ];
    for (const [key, value] of cases) {
      const current = await api<SettingView>("GET", `/settings/${key}`, { token: await asAdmin() });
      const res = await put(key, value, String(current.body.version));
      expect(res.status, `${key}=${value}`).toBe(200);
      expect(res.body.value).toBe(value);
    }
  });
});
