import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import type { Principal } from "../../worker/http/auth";
import { DEFAULT_LEAD_DAYS } from "../../worker/pharmacy/fulfilment";
import { SUPPLY_CHANGED, signPrescription } from "../../worker/prescriptions/prescriptions.service";
import { getSigner } from "../../worker/signing/signer";
import { aNormalPrescription, AMLODIPINE } from "../builders/prescriptions";
import { outcomes, readTogether } from "../support/race";
import { loadDemoSeed } from "../support/seed";

/*
 * Issue 11, found by the review: the duplicate check read the patient's active supply, then
 * wrote, so two signings for one patient at two institutions at the same instant could both
 * pass it. The sign batch now refuses to commit when an active supply line appeared since
 * its read.
 */

const SHIMEN: Principal = { sub: "doc-shimen-gp-intermediate", role: "doctor", org: "inst-shimen", name: "邓春梅" };
const COUNTY: Principal = { sub: "doc-county-cardio-senior", role: "doctor", org: "inst-county", name: "" };

async function aPatient(): Promise<string> {
  const id = `pat-race-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '并发', 'male', '1958-06-01', '2026-01-01')").bind(id).run();
  return id;
}

const supplyOf = async (patientId: string) =>
  (await env.DB.prepare("SELECT institution_id FROM prescription_items WHERE patient_id = ? AND active = 1 ORDER BY institution_id").bind(patientId).all<{ institution_id: string }>()).results.map((r) => r.institution_id);
const prescriptionsOf = async (patientId: string) => (await env.DB.prepare("SELECT count(*) AS n FROM prescriptions WHERE patient_id = ?").bind(patientId).first<{ n: number }>())?.n;

describe("signing: the patient's supply is checked again in the write batch", () => {
  beforeAll(loadDemoSeed);

  async function signTogether(patientId: string, doctors: Principal[]) {
    // both read (the first batch: key, count, context) before either writes
    const d1 = readTogether(doctors.length);
    const signer = await getSigner(env);
    const ctxs = doctors.map((actor, i) => ({ db: getDb(d1()), actor, requestId: `race-${i}`, now: new Date(), signer, queue: env.ORDER_QUEUE, leadDays: DEFAULT_LEAD_DAYS }));
    return outcomes(ctxs.map((ctx) => signPrescription(ctx, crypto.randomUUID(), aNormalPrescription(patientId, AMLODIPINE, 7))));
  }

  it("two institutions signing the same drug for one patient at one instant: one wins, the other is a 409 and writes nothing", async () => {
    const patientId = await aPatient();
    const settled = await signTogether(patientId, [SHIMEN, COUNTY]);
    expect(settled.sort()).toEqual([`conflict: ${SUPPLY_CHANGED}`, "ok"]);
    expect(await prescriptionsOf(patientId)).toBe(1);
    expect(await supplyOf(patientId)).toHaveLength(1);
    // signed again, the loser's draft now meets the winner's supply in the rules
    const signer = await getSigner(env);
    const again = await signPrescription(
      { db: getDb(env.DB), actor: COUNTY, requestId: "race-again", now: new Date(), signer, queue: env.ORDER_QUEUE, leadDays: DEFAULT_LEAD_DAYS },
      crypto.randomUUID(),
      aNormalPrescription(patientId, AMLODIPINE, 7),
    );
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toContain("safety-duplicate-ingredient");
  });

  it("a signing with no concurrent one for the patient is not refused (the guard only sees new supply)", async () => {
    const [a, b] = [await aPatient(), await aPatient()];
    const d1 = readTogether(2);
    const signer = await getSigner(env);
    const settled = await outcomes(
      [
        [SHIMEN, a],
        [COUNTY, b],
      ].map(([actor, patientId], i) =>
        signPrescription(
          { db: getDb(d1()), actor: actor as Principal, requestId: `race-own-${i}`, now: new Date(), signer, queue: env.ORDER_QUEUE, leadDays: DEFAULT_LEAD_DAYS },
          crypto.randomUUID(),
          aNormalPrescription(patientId as string, AMLODIPINE, 7),
        ),
      ),
    );
    expect(settled).toEqual(["ok", "ok"]);
  });
});
