import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { dueListQuery, auditDuePage, activeSupplyQuery, lastLongPrescriptionQuery } from "../../worker/follow-up/follow-up.repo";
import type { Principal } from "../../worker/http/auth";
import { chinaDate } from "../../worker/lib/clock";
import { searchPatients } from "../../worker/members/members.repo";
import type { PatientDetails, PatientSummary } from "../../worker/members/members.schemas";
import { backfillPatientPinyin, runPinyinBackfill } from "../../worker/members/patients.backfill";
import { api } from "../support/api";
import { loadDemoSeed } from "../support/seed";
import { aPatient, anAdmin, auditOfRequest, fenglinDoctor, uid } from "./follow-up.fixtures";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

async function search(q: string, token?: string, extra = "") {
  const res = await api<Page<PatientSummary>>("GET", `/patients?q=${encodeURIComponent(q)}${extra}`, { token: token ?? (await fenglinDoctor()) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

/** The plan SQLite picks for a drizzle query (EXPLAIN QUERY PLAN), one detail line per step. */
async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql, params } = query.toSQL();
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail);
}

describe("patient search (GET /patients?q=)", () => {
  beforeAll(loadDemoSeed);

  it("finds 张桂兰 by id, name prefix, pinyin initials in any case and phone prefix, with age, masked phone and family doctor", async () => {
    const expected = {
      id: "pat-001",
      name: "张桂兰",
      pinyin: "ZGL",
      gender: "female",
      birthDate: "1958-03-14",
      age: 68,
      phoneMasked: "138****2608",
      familyDoctorId: "doc-fenglin-village",
    };
    for (const q of ["pat-001", "张桂", "张桂兰", "ZGL", "zgl", "Zg", "ｚｇｌ", "1380731260", "13807312608", "１３８０７３１"]) {
      const { body } = await search(q);
      expect(body.items.find((p) => p.id === "pat-001"), q).toMatchObject(expected);
      for (const item of body.items) expect(item, q).not.toHaveProperty("phone");
    }
  });

  it("matches pinyin only from letters, phones only from 7 digits, and prefixes literally", async () => {
    const name = `拼${crypto.randomUUID().slice(0, 6)}`;
    const phone = `1390${String(Date.now()).slice(-7)}`;
    const id = await aPatient({ name, pinyin: "QXYZTEST", phone });
    expect((await search("qxyzte")).body.items.map((p) => p.id)).toEqual([id]);
    expect((await search(phone.slice(0, 7))).body.items.map((p) => p.id)).toContain(id);
    expect((await search(phone.slice(0, 6))).body.items.map((p) => p.id)).not.toContain(id); // 6 digits: not a phone prefix
    expect((await search("QXY%")).body.items).toEqual([]); // no wildcards
    expect((await search("QX1")).body.items.map((p) => p.id)).not.toContain(id); // not letters only: no pinyin branch
    expect((await search(phone.slice(3))).body.items.map((p) => p.id)).not.toContain(id); // a prefix, not an infix
  });

  it("pages a large pinyin match by (name, id) without repeats, and audits only the ids shown", async () => {
    const pinyin = `PG${Date.now().toString(36).toUpperCase().replace(/[0-9]/g, "X")}`;
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) ids.push(await aPatient({ name: `翻页${n % 2 ? "乙" : "甲"}${n}`, pinyin }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await search(pinyin.toLowerCase(), undefined, `&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.items.map((p) => p.id));
      const audit = await auditOfRequest(res.headers.get("x-request-id"));
      expect(JSON.parse(audit[0]?.after ?? "{}")).toEqual({ resultIds: res.body.items.map((p) => p.id) });
      expect(audit[0]?.after).not.toContain(pinyin);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(5);
  });

  it("ranks one patient once when two branches match (a latin name is also its own pinyin)", async () => {
    const id = await aPatient({ name: "Tomas", pinyin: "TOMAS" });
    expect((await search("Tom")).body.items.filter((p) => p.id === id)).toHaveLength(1);
  });

  it("uses an index for every branch (EXPLAIN QUERY PLAN), never a scan of patients", async () => {
    const db = getDb(env.DB);
    const plan = await planOf(searchPatients(db, { q: "1380731", limit: 21, after: { name: "张", id: "pat-001" } }));
    const letters = await planOf(searchPatients(db, { q: "zgl", limit: 21 }));
    for (const index of ["patients_name", "patients_phone"]) expect(plan.join("\n")).toContain(index);
    expect(letters.join("\n")).toContain("patients_pinyin");
    for (const line of [...plan, ...letters]) expect(line).not.toMatch(/^SCAN patients\b/);
  });
});

describe("PATCH /patients/{id} familyDoctorId", () => {
  beforeAll(loadDemoSeed);

  it("sets, changes and removes the family doctor, each audited with the practitioner ids", async () => {
    const id = await aPatient({ familyDoctorId: null });
    const token = await fenglinDoctor();
    const set = await api<PatientDetails>("PATCH", `/patients/${id}`, { token, body: { familyDoctorId: "doc-fenglin-village" } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ id, familyDoctorId: "doc-fenglin-village" });
    const moved = await api<PatientDetails>("PATCH", `/patients/${id}`, { token: await anAdmin(), body: { familyDoctorId: "doc-xikou-village", phone: "13912340000" } });
    expect(moved.body).toMatchObject({ familyDoctorId: "doc-xikou-village", phone: "13912340000", phoneMasked: "139****0000" });
    const removed = await api<PatientDetails>("PATCH", `/patients/${id}`, { token, body: { familyDoctorId: null } });
    expect(removed.body.familyDoctorId).toBeNull();
    const same = await api<PatientDetails>("PATCH", `/patients/${id}`, { token, body: { familyDoctorId: null } });
    expect(same.status).toBe(200);

    const audit = await env.DB.prepare("SELECT action, actor_id, before, after FROM audit_events WHERE entity_type = 'patient' AND entity_id = ? ORDER BY id").bind(id).all();
    expect(audit.results.map((a) => [a.action, a.before, a.after])).toEqual([
      ["patient.family-doctor.update", JSON.stringify({ familyDoctorId: null }), JSON.stringify({ familyDoctorId: "doc-fenglin-village" })],
      ["patient.phone.update", JSON.stringify({ hasPhone: false }), JSON.stringify({ hasPhone: true })],
      ["patient.family-doctor.update", JSON.stringify({ familyDoctorId: "doc-fenglin-village" }), JSON.stringify({ familyDoctorId: "doc-xikou-village" })],
      ["patient.family-doctor.update", JSON.stringify({ familyDoctorId: "doc-xikou-village" }), JSON.stringify({ familyDoctorId: null })],
    ]);
  });

  it("writes the pinyin of a newly registered patient", async () => {
    const id = uid("pat-new");
    const res = await api<PatientDetails>("POST", "/patients", { token: await fenglinDoctor(), body: { id, name: "欧阳春燕", gender: "female", birthDate: "1970-01-02", phone: "13800001111" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ pinyin: "OYCY", familyDoctorId: null, phoneMasked: "138****1111", phone: "13800001111" });
    expect((await search("oycy")).body.items.map((p) => p.id)).toContain(id);
  });
});

describe("pinyin backfill (cron)", () => {
  beforeAll(loadDemoSeed);

  it("fills patients written without pinyin, a bounded number per run, audited by id, then runs dry", async () => {
    await env.DB.prepare("UPDATE patients SET pinyin = NULL WHERE id IN ('pat-002', 'pat-003')").run();
    const blank = await aPatient({ name: "·", pinyin: null });
    const db = getDb(env.DB);
    const now = new Date();
    const missing = async () => (await env.DB.prepare("SELECT count(*) AS n FROM patients WHERE pinyin IS NULL").first<{ n: number }>())?.n;
    const before = await missing();
    expect(before).toBeGreaterThanOrEqual(3);

    expect(await backfillPatientPinyin(db, now, 2)).toBe(2);
    expect(await missing()).toBe((before ?? 0) - 2);
    let runs = 1;
    while ((await backfillPatientPinyin(db, now, 2)) > 0) runs++;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(await missing()).toBe(0);

    const rows = await env.DB.prepare("SELECT id, pinyin FROM patients WHERE id IN ('pat-002', 'pat-003', ?) ORDER BY id").bind(blank).all();
    expect(rows.results).toEqual([
      { id: "pat-002", pinyin: "WJH" },
      { id: "pat-003", pinyin: "LSF" },
      { id: blank, pinyin: "" },
    ].sort((a, b) => a.id.localeCompare(b.id)));
    const audit = await env.DB.prepare("SELECT actor_id, after FROM audit_events WHERE action = 'patient.pinyin.backfill'").all<{ actor_id: string; after: string }>();
    const filled = audit.results.flatMap((a) => (JSON.parse(a.after) as { patientIds: string[] }).patientIds);
    expect(filled).toEqual(expect.arrayContaining(["pat-002", "pat-003", blank]));
    for (const a of audit.results) expect(a.after).not.toContain("王建华");
    expect(await runPinyinBackfill(env, now)).toBe(0);
  });
});

describe("query plans of the follow-up", () => {
  beforeAll(loadDemoSeed);

  it("drives the overview's supply and the due list by indexes, never scanning prescriptions or items", async () => {
    const db = getDb(env.DB);
    const today = chinaDate(new Date());
    const actor: Principal = { sub: "doc-fenglin-village", role: "doctor", org: "inst-fenglin", name: "" };
    const window = { today, horizon: today, lapsedFrom: today };
    const plans = [
      await planOf(activeSupplyQuery(db, "pat-001", today)),
      await planOf(lastLongPrescriptionQuery(db, "pat-001")),
      await planOf(auditDuePage({ db, actor, requestId: "plan", now: new Date() }, { window, limit: 20, after: { dueOn: today, patientId: "pat-001" } })),
      await planOf(dueListQuery(db, "plan", window)),
    ].map((p) => p.join("\n"));
    expect(plans[0]).toContain("prescription_items_supply");
    expect(plans[2]).toContain("patients_family_doctor");
    expect(plans[2]).toContain("prescriptions_prescriber");
    expect(plans[2]).toContain("prescription_items_supply");
    expect(plans[2]).toContain("prescriptions_patient");
    for (const plan of plans) expect(plan).not.toMatch(/SCAN (prescriptions|prescription_items|patients|patient_events|audit_events)\b(?! USING)/);
  });
});
