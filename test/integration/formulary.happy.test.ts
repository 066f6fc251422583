import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Entry } from "../../worker/formulary/formulary.schemas";
import { anEntry } from "../builders/entries";
import { api, asAdmin, asDoctor } from "../support/api";

interface Page {
  items: Entry[];
  nextCursor: string | null;
}

async function create(overrides: Parameters<typeof anEntry>[0] = {}) {
  const res = await api<{ entry: Entry; formularyVersion: number }>("POST", "/formulary/drugs", { token: await asAdmin(), body: anEntry(overrides) });
  expect(res.status).toBe(201);
  return res.body;
}

describe("formulary entries", () => {
  it("creates an entry, serves it with its ETag and records version 1 in history and audit", async () => {
    const before = await api<{ version: number }>("GET", "/formulary/version", { token: await asDoctor() });
    const { entry, formularyVersion } = await create({ pinyin: undefined, genericName: "阿司匹林", innName: "Aspirin" });
    expect(entry.pinyin).toBe("ASPL"); // derived from the name when omitted
    expect(formularyVersion).toBe(before.body.version + 1);

    const got = await api<Entry>("GET", `/formulary/drugs/${entry.code}`, { token: await asDoctor() });
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe('"1"');
    expect(got.body).toEqual(entry);

    const history = await api<{ items: { version: number; change: string; formularyVersion: number }[] }>("GET", `/formulary/drugs/${entry.code}/history`, { token: await asDoctor() });
    expect(history.body.items).toMatchObject([{ version: 1, change: "create", formularyVersion }]);

    const audit = await env.DB.prepare("SELECT action, actor_id, after FROM audit_events WHERE entity_id = ?").bind(entry.code).all<{ action: string; actor_id: string; after: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({ action: "formulary.entry.create", actor_id: "admin-county" });
    expect(JSON.parse(audit.results[0]?.after ?? "{}").code).toBe(entry.code);
  });

  it("patches with If-Match, bumps the entry and formulary versions, and keeps the old version readable", async () => {
    const { entry } = await create({ price: 10 });
    const res = await api<{ entry: Entry; formularyVersion: number }>("PATCH", `/formulary/drugs/${entry.code}`, {
      token: await asAdmin(),
      headers: { "if-match": '"1"' },
      body: { price: 8.8, maxDailyDose: { value: 10, unit: "mg" } },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(res.body.entry).toMatchObject({ version: 2, price: 8.8 });

    const history = await api<{ items: { version: number; entry: Entry }[] }>("GET", `/formulary/drugs/${entry.code}/history`, { token: await asAdmin() });
    expect(history.body.items.map((h) => [h.version, h.entry.price])).toEqual([
      [2, 8.8],
      [1, 10],
    ]);
    const audit = await env.DB.prepare("SELECT before, after FROM audit_events WHERE entity_id = ? AND action = 'formulary.entry.update'").bind(entry.code).first<{ before: string; after: string }>();
    expect(JSON.parse(audit?.before ?? "{}").price).toBe(10);
    expect(JSON.parse(audit?.after ?? "{}").price).toBe(8.8);
  });

  it("suspends an entry from a future date as a status change", async () => {
    const { entry } = await create();
    const res = await api<{ entry: Entry }>("PATCH", `/formulary/drugs/${entry.code}`, {
      token: await asAdmin(),
      headers: { "if-match": "1" },
      body: { status: "suspended", effectiveFrom: "2099-01-01" },
    });
    expect(res.status).toBe(200);
    expect(res.body.entry).toMatchObject({ status: "suspended", effectiveFrom: "2099-01-01", version: 2 });
    const history = await api<{ items: { change: string; status: string }[] }>("GET", `/formulary/drugs/${entry.code}/history`, { token: await asAdmin() });
    expect(history.body.items[0]).toMatchObject({ change: "status", status: "suspended" });
  });

  it("answers an empty patch-with-no-change without a new version", async () => {
    const { entry } = await create({ price: 3 });
    const res = await api<{ entry: Entry }>("PATCH", `/formulary/drugs/${entry.code}`, { token: await asAdmin(), headers: { "if-match": '"1"' }, body: { price: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.entry.version).toBe(1);
  });

  it("pages history with a cursor", async () => {
    const { entry } = await create({ price: 1 });
    for (let v = 1; v <= 3; v++) {
      const r = await api("PATCH", `/formulary/drugs/${entry.code}`, { token: await asAdmin(), headers: { "if-match": `"${v}"` }, body: { price: v + 1 } });
      expect(r.status).toBe(200);
    }
    const first = await api<{ items: { version: number }[]; nextCursor: string }>("GET", `/formulary/drugs/${entry.code}/history?limit=3`, { token: await asAdmin() });
    expect(first.body.items.map((i) => i.version)).toEqual([4, 3, 2]);
    const second = await api<{ items: { version: number }[]; nextCursor: string | null }>("GET", `/formulary/drugs/${entry.code}/history?limit=3&cursor=${first.body.nextCursor}`, { token: await asAdmin() });
    expect(second.body.items.map((i) => i.version)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe("formulary search", () => {
  async function search(q: string, extra = "") {
    const res = await api<Page>("GET", `/formulary/drugs?q=${encodeURIComponent(q)}${extra}`, { token: await asDoctor() });
    expect(res.status).toBe(200);
    return res.body;
  }

  it("finds by pinyin prefix, code, name prefix, name infix and INN word, best match first", async () => {
    const tag = `Q${Date.now().toString(36).toUpperCase()}`;
    const aspirin = (await create({ code: `${tag}-ASP`, genericName: "阿司匹林", innName: "Aspirin", pinyin: "ASPL", form: "肠溶片" })).entry;
    const nifedipine = (await create({ code: `${tag}-NIF`, genericName: "硝苯地平", innName: "Nifedipine", pinyin: "XBDP", form: "缓释片" })).entry;
    const amlodipine = (await create({ code: `${tag}-AML`, genericName: "氨氯地平", innName: "Amlodipine Besylate", pinyin: "ALDP" })).entry;

    expect((await search("ASPL")).items.map((e) => e.code)).toContain(aspirin.code);
    expect((await search("aspl")).items.map((e) => e.code)).toContain(aspirin.code);
    expect((await search(nifedipine.code)).items[0]?.code).toBe(nifedipine.code);
    expect((await search("阿司")).items.map((e) => e.code)).toContain(aspirin.code);
    expect((await search("阿司匹林肠溶片")).items.map((e) => e.code)).toContain(aspirin.code);
    const dipines = (await search("地平")).items.map((e) => e.code);
    expect(dipines).toEqual(expect.arrayContaining([nifedipine.code, amlodipine.code]));
    expect(dipines).not.toContain(aspirin.code);
    expect((await search("besyl")).items.map((e) => e.code)).toContain(amlodipine.code);
    expect((await search(tag)).items.map((e) => e.code).sort()).toEqual([aspirin.code, amlodipine.code, nifedipine.code].sort());
    expect((await search("没有这个药")).items).toEqual([]);
  });

  it("pages through results with a stable cursor and no duplicates", async () => {
    const tag = `P${Date.now().toString(36).toUpperCase()}`;
    for (let i = 0; i < 7; i++) await create({ code: `${tag}-${i}`, pinyin: `ZZP${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(tag, `&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it("pages across tiers in rank order: exact code, pinyin prefix, then INN word", async () => {
    const tag = `K${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    const exact = (await create({ code: tag, pinyin: "QQQ" })).entry.code;
    const byPinyin = [];
    for (let i = 0; i < 3; i++) byPinyin.push((await create({ code: `${tag}-P${i}`, pinyin: `${tag}${i}` })).entry.code);
    const byInn = [];
    for (let i = 0; i < 3; i++) byInn.push((await create({ code: `Z${i}${tag}`, pinyin: `QQQ${i}`, innName: `${tag.toLowerCase()}ine ${i}` })).entry.code);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await search(tag, `&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((e) => e.code));
      cursor = page.nextCursor;
    } while (cursor);
    // code-prefix matches of the pinyin entries are in tier 1 already, so they appear once
    expect(seen).toEqual([exact, ...byPinyin, ...byInn]);
  });

  it("filters by status", async () => {
    const tag = `S${Date.now().toString(36).toUpperCase()}`;
    const a = (await create({ code: `${tag}-A` })).entry;
    await create({ code: `${tag}-W`, status: "withdrawn" });
    const active = await search(tag, "&status=active");
    expect(active.items.map((e) => e.code)).toEqual([a.code]);
  });
});
