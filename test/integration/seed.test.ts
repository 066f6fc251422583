import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { bulkInsert } from "../../worker/db/bulk";
import type { Entry } from "../../worker/formulary/formulary.schemas";
import { institutions } from "../../schema";
import { inlineStatement } from "../../seeds/seed-sql";
import { api, asDoctor } from "../support/api";
import { loadDemoSeed } from "../support/seed";

describe("demo seed", () => {
  beforeAll(loadDemoSeed);

  it("puts the NEML formulary at formulary version 1 with a history row per entry", async () => {
    const counts = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM formulary_entries) AS entries, (SELECT count(*) FROM formulary_entry_versions) AS versions, (SELECT version FROM formulary_meta) AS fv",
    ).first<{ entries: number; versions: number; fv: number }>();
    expect(counts?.entries).toBeGreaterThan(500);
    expect(counts?.versions).toBe(counts?.entries);
    expect(counts?.fv).toBe(1);
  });

  it("lets a doctor find 阿司匹林 by ASPL", async () => {
    const res = await api<{ items: Entry[] }>("GET", "/formulary/drugs?q=ASPL", { token: await asDoctor() });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items[0]?.genericName).toBe("阿司匹林");
    expect(res.body.items.every((e) => e.pinyin.startsWith("ASPL"))).toBe(true);
  });

  it("finds the seeded chronic-disease drugs with their facts", async () => {
    const res = await api<{ items: Entry[] }>("GET", `/formulary/drugs?q=${encodeURIComponent("氨氯地平")}`, { token: await asDoctor() });
    const tablet = res.body.items.find((e) => e.genericName === "氨氯地平" && e.route === "oral");
    expect(tablet).toMatchObject({ atc: "C08CA01", longRxEligible: true, maxDailyDose: { value: 10, unit: "mg" } });
    expect(tablet?.conditions).toContain("I10");
  });

  it("inlines bound values into literal SQL safely (quotes, nulls, JSON)", async () => {
    const [statement] = bulkInsert(institutions, [{ id: "inst-o'hara", name: "O'Hara's \"clinic\" ?", level: "village", region: "青溪县", createdAt: "2026-01-01" }]);
    if (!statement) throw new Error("no statement");
    await env.DB.exec(inlineStatement(statement).replaceAll("\n", " "));
    const row = await env.DB.prepare("SELECT name FROM institutions WHERE id = ?").bind("inst-o'hara").first<{ name: string }>();
    expect(row?.name).toBe(`O'Hara's "clinic" ?`);
  });
});
