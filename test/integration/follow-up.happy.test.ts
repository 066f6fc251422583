import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { listDue } from "../../worker/follow-up/due-list.service";
import type { DueItem, PatientOverview } from "../../worker/follow-up/follow-up.schemas";
import { readOverview } from "../../worker/follow-up/overview.service";
import type { Principal } from "../../worker/http/auth";
import { addDays, chinaDate } from "../../worker/lib/clock";
import { AMLODIPINE, METFORMIN } from "../builders/prescriptions";
import { api, tokenFor } from "../support/api";
import { countingD1 } from "../support/d1-counter";
import { loadDemoSeed } from "../support/seed";
import { aPatient, aPrescription, anAdmin, anEvent, auditOfRequest, countyDoctor, fenglinDoctor, shimenDoctor } from "./follow-up.fixtures";

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const today = () => chinaDate(new Date());
/** A China date `n` days from today (negative: in the past). */
const day = (n: number) => addDays(today(), n);

const CAO: Principal = { sub: "doc-fenglin-village", role: "doctor", org: "inst-fenglin", name: "曹德贵" };

/** A doctor of this test alone (registered at inst-fenglin), so their due list holds only what the test puts there. */
async function aDoctor(): Promise<{ id: string; token: string }> {
  const id = `doc-fu-${crypto.randomUUID().slice(0, 12)}`;
  await env.DB.prepare("INSERT INTO practitioners (id, name, institution_id, title, specialties, created_at) VALUES (?, '随访医生', 'inst-fenglin', 'junior', '[\"general_practice\"]', '2026-01-01')")
    .bind(id)
    .run();
  return { id, token: await tokenFor("doctor", id, "inst-fenglin") };
}

async function due(token: string, query = "") {
  const res = await api<Page<DueItem>>("GET", `/follow-up/due${query}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

describe("the patient at a glance (GET /patients/{id}/overview)", () => {
  beforeAll(loadDemoSeed);

  it("shows 张桂兰 to her family doctor: record, last long prescription of another institution without its id, renewal lapsed", async () => {
    const res = await api<PatientOverview>("GET", "/patients/pat-001/overview", { token: await fenglinDoctor() });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const o = res.body;
    expect(o.patient).toMatchObject({
      id: "pat-001",
      name: "张桂兰",
      pinyin: "ZGL",
      gender: "female",
      birthDate: "1958-03-14",
      phone: "13807312608",
      familyDoctor: { id: "doc-fenglin-village", name: "曹德贵", institutionId: "inst-fenglin", institutionName: "石门乡枫林村卫生室" },
    });
    expect(o.patient.age).toBe(68);
    expect(o.conditions.map((c) => [c.icd10, c.diagnosedByName, c.diagnosedByInstitutionName])).toEqual([
      ["I10", "邓春梅", "石门乡卫生院"],
      ["E11.9", "邓春梅", "石门乡卫生院"],
    ]);
    expect(o.lastLongPrescription).toEqual({
      prescriptionId: null,
      writtenAt: "2026-08-28T01:30:00.000Z",
      institutionId: "inst-shimen",
      institutionName: "石门乡卫生院",
      prescriberName: "邓春梅",
      days: 84,
      endDate: "2026-11-20",
      diagnoses: [
        { icd10: "I10", name: "原发性高血压" },
        { icd10: "E11.9", name: "2型糖尿病" },
      ],
      items: [
        { drugCode: METFORMIN, genericName: "二甲双胍" },
        { drugCode: AMLODIPINE, genericName: "氨氯地平" },
      ],
    });
    // her first long prescription ran out on 2026-11-20: nothing active is left
    expect(o.supply).toEqual([]);
    expect(o.renewal).toEqual({ dueOn: "2026-11-20", daysLeft: -(Date.parse(`${today()}T00:00:00Z`) - Date.parse("2026-11-20T00:00:00Z")) / 86_400_000 });
    expect(o.reassessment).toEqual({ due: false, triggers: [] });
  });

  it("shows the writing institution's doctor and admins the prescription ids; active supply soonest end first with days left", async () => {
    const patientId = await aPatient();
    const older = await aPrescription({ patientId, on: day(-70), days: 84, drugs: [AMLODIPINE] });
    const normal = await aPrescription({ patientId, on: day(-2), days: 7, kind: "normal", drugs: [METFORMIN] });
    await aPrescription({ patientId, on: day(-200), days: 28, drugs: [METFORMIN] }); // long over: not active supply
    await aPrescription({ patientId, on: day(-10), days: 84, status: "cancelled", drugs: [METFORMIN] }); // cancelled: never shown

    for (const token of [await shimenDoctor(), await anAdmin()]) {
      const o = (await api<PatientOverview>("GET", `/patients/${patientId}/overview`, { token })).body;
      expect(o.supply.map((s) => [s.genericName, s.prescriptionId, s.kind, s.endDate, s.daysLeft])).toEqual([
        ["二甲双胍", normal, "normal", day(5), 5],
        ["氨氯地平", older, "long_term", day(14), 14],
      ]);
      expect(o.lastLongPrescription?.prescriptionId).toBe(older);
      expect(o.renewal).toEqual({ dueOn: day(14), daysLeft: 14 });
    }
    const o = (await api<PatientOverview>("GET", `/patients/${patientId}/overview`, { token: await countyDoctor() })).body;
    expect(o.supply.map((s) => [s.genericName, s.prescriptionId, s.institutionName])).toEqual([
      ["二甲双胍", null, "石门乡卫生院"],
      ["氨氯地平", null, "石门乡卫生院"],
    ]);
    expect(o.lastLongPrescription).toMatchObject({ prescriptionId: null, institutionId: "inst-shimen", prescriberName: "邓春梅", days: 84, endDate: day(14) });
  });

  it("lists re-assessment triggers on a China date after the last long prescription's (date-times compared as China dates)", async () => {
    const patientId = await aPatient();
    const on = day(-40);
    await aPrescription({ patientId, on, days: 84 });
    await anEvent(patientId, "admission", day(-60)); // before: not a trigger
    await anEvent(patientId, "goal_not_met", on); // the same China date: not after
    // 17:00 UTC of the day before `on` is 01:00 on `on` in China: the same day, not after
    await anEvent(patientId, "admission", `${addDays(on, -1)}T17:00:00.000Z`);
    const later = await anEvent(patientId, "new_condition", `${on}T16:30:00.000Z`); // 00:30 the next China day
    const o = (await api<PatientOverview>("GET", `/patients/${patientId}/overview`, { token: await fenglinDoctor() })).body;
    expect(o.reassessment).toEqual({ due: true, triggers: [{ id: later, type: "new_condition", at: `${on}T16:30:00.000Z` }] });
    expect(o.events).toHaveLength(4);
  });

  it("takes the newest signed or completed long prescription, never a cancelled or replaced one; null without any", async () => {
    const patientId = await aPatient({ pinyin: null, familyDoctorId: null });
    const none = (await api<PatientOverview>("GET", `/patients/${patientId}/overview`, { token: await fenglinDoctor() })).body;
    expect(none.lastLongPrescription).toBeNull();
    expect(none.renewal).toEqual({ dueOn: null, daysLeft: null });
    expect(none.patient.familyDoctor).toBeNull();

    const completed = await aPrescription({ patientId, on: day(-100), days: 84, status: "completed" });
    await aPrescription({ patientId, on: day(-20), days: 84, status: "cancelled" });
    await aPrescription({ patientId, on: day(-10), days: 84, status: "replaced" });
    await aPrescription({ patientId, on: day(-5), days: 7, kind: "normal" });
    const o = (await api<PatientOverview>("GET", `/patients/${patientId}/overview`, { token: await shimenDoctor() })).body;
    expect(o.lastLongPrescription?.prescriptionId).toBe(completed);
  });

  it("costs ONE round trip and writes one audit row naming the patient by id", async () => {
    const counter = countingD1(env.DB);
    const requestId = `trips-${crypto.randomUUID()}`;
    const o = await readOverview({ db: getDb(counter.db), actor: CAO, requestId, now: new Date() }, "pat-001");
    expect(o.patient.id).toBe("pat-001");
    expect(counter.count()).toBe(1);
    expect(await auditOfRequest(requestId)).toEqual([{ action: "patient.overview.read", actor_id: CAO.sub, entity_type: "patient", entity_id: "pat-001", after: null }]);
  });
});

describe("the due list (GET /follow-up/due)", () => {
  beforeAll(loadDemoSeed);

  it("puts 张桂兰, lapsed since 2026-11-20, on 曹德贵's list", async () => {
    const res = await due(await fenglinDoctor());
    const zhang = res.body.items.find((i) => i.patientId === "pat-001");
    expect(zhang).toEqual({
      patientId: "pat-001",
      name: "张桂兰",
      gender: "female",
      age: 68,
      reasons: ["supply_lapsed"],
      dueOn: "2026-11-20",
      daysLeft: -(Date.parse(`${today()}T00:00:00Z`) - Date.parse("2026-11-20T00:00:00Z")) / 86_400_000,
      lastLongPrescription: { writtenAt: "2026-08-28T01:30:00.000Z", institutionName: "石门乡卫生院", days: 84 },
      drugs: ["二甲双胍", "氨氯地平"],
    });
  });

  it("lists my patients (family doctor ∪ my long prescriptions) due by supply ending, lapsed ≤ 30 days or re-assessment, oldest first", async () => {
    const me = await aDoctor();
    const ending = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: ending, on: day(-80), days: 84 }); // runs out in 4 days
    const lapsed = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: lapsed, on: day(-100), days: 84 }); // ran out 16 days ago
    const lapsedLongAgo = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: lapsedLongAgo, on: day(-200), days: 84 }); // 116 days ago: not a follow-up
    const covered = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: covered, on: day(-10), days: 84 }); // 74 days left
    const renewed = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: renewed, on: day(-82), days: 84 });
    await aPrescription({ patientId: renewed, on: day(-1), days: 84 }); // renewed: the supply runs on
    const readmitted = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: readmitted, on: day(-30), days: 84 });
    await anEvent(readmitted, "admission", `${day(-20)}T03:00:00.000Z`);
    const noLongRx = await aPatient({ familyDoctorId: me.id });
    await aPrescription({ patientId: noLongRx, on: day(-3), days: 7, kind: "normal" });
    // not contracted to me, but I signed a long prescription for them elsewhere: mine too
    const mySigned = await aPatient({ familyDoctorId: "doc-xikou-village" });
    await aPrescription({ patientId: mySigned, on: day(-75), days: 84, prescriberId: "doc-fenglin-village" });
    await env.DB.prepare("UPDATE prescriptions SET prescriber_id = ? WHERE patient_id = ?").bind(me.id, mySigned).run();
    // someone else's patient, ending too: never on my list
    const others = await aPatient({ familyDoctorId: "doc-xikou-village" });
    await aPrescription({ patientId: others, on: day(-80), days: 84 });

    const { body } = await due(me.token);
    expect(body.items.map((i) => [i.patientId, i.reasons, i.dueOn, i.daysLeft])).toEqual([
      [readmitted, ["reassessment_due"], day(-20), -20],
      [lapsed, ["supply_lapsed"], day(-16), -16],
      [ending, ["supply_ending"], day(4), 4],
      [mySigned, ["supply_ending"], day(9), 9],
    ]);
    expect(body.nextCursor).toBeNull();
    // a wider window takes in more
    const wide = await due(me.token, "?withinDays=60");
    expect(wide.body.items.map((i) => i.patientId)).toEqual([readmitted, lapsed, ending, mySigned]);
    expect(wide.body.items.map((i) => i.patientId)).not.toContain(covered);
    const narrow = await due(me.token, "?withinDays=5");
    expect(narrow.body.items.map((i) => i.patientId)).toEqual([readmitted, lapsed, ending]);
  });

  it("reports both reasons, and the earlier day, when the supply ends and a trigger happened", async () => {
    const me = await aDoctor();
    const patientId = await aPatient({ familyDoctorId: me.id, name: "两因患者" });
    await aPrescription({ patientId, on: day(-80), days: 84 });
    await anEvent(patientId, "goal_not_met", day(-3));
    const { body } = await due(me.token);
    expect(body.items).toEqual([
      expect.objectContaining({ patientId, name: "两因患者", reasons: ["supply_ending", "reassessment_due"], dueOn: day(-3), daysLeft: -3 }),
    ]);
  });

  it("pages with a keyset cursor on (dueOn, patientId), without gaps or repeats", async () => {
    const me = await aDoctor();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const p = await aPatient({ familyDoctorId: me.id });
      await aPrescription({ patientId: p, on: day(-80 - (n % 2)), days: 84 }); // two share a day: the id breaks the tie
      ids.push(p);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await due(me.token, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.items.map((i) => i.patientId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const all = (await due(me.token)).body.items.map((i) => i.patientId);
    expect(seen).toEqual(all);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it("costs ONE round trip, and its audit row lists exactly the ids shown", async () => {
    const me = await aDoctor();
    for (let n = 0; n < 3; n++) {
      const p = await aPatient({ familyDoctorId: me.id });
      await aPrescription({ patientId: p, on: day(-80 + n), days: 84 });
    }
    const counter = countingD1(env.DB);
    const requestId = `trips-${crypto.randomUUID()}`;
    const actor: Principal = { sub: me.id, role: "doctor", org: "inst-fenglin", name: "随访医生" };
    const page = await listDue({ db: getDb(counter.db), actor, requestId, now: new Date() }, { withinDays: 14, limit: 2 });
    expect(counter.count()).toBe(1);
    expect(page.items).toHaveLength(2);
    expect(page.next).toEqual({ d: page.items[1]?.dueOn, p: page.items[1]?.patientId });
    const audit = await auditOfRequest(requestId);
    expect(audit.map((a) => [a.action, a.actor_id, a.entity_type])).toEqual([["follow-up.due.list", me.id, "follow_up_due"]]);
    expect(JSON.parse(audit[0]?.after ?? "{}")).toEqual({ resultIds: page.items.map((i) => i.patientId), more: 1 });
  });

  it("answers an empty page for a doctor with no patients due", async () => {
    const me = await aDoctor();
    const { body } = await due(me.token);
    expect(body).toEqual({ items: [], nextCursor: null });
  });
});
