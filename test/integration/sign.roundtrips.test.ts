import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../worker/db/index";
import { d1RateLimiter } from "../../worker/http/rate-limit";
import { sha256Hex } from "../../worker/lib/encoding";
import { DEFAULT_LEAD_DAYS } from "../../worker/pharmacy/fulfilment";
import { type RxCtx, SIGNING_PER_USER, signPrescription } from "../../worker/prescriptions/prescriptions.service";
import { getSigner } from "../../worker/signing/signer";
import { AMLODIPINE, aNormalPrescription } from "../builders/prescriptions";
import { outcomes, readTogether } from "../support/race";
import { loadDemoSeed } from "../support/seed";
import { countedCtx, SHIMEN_DOCTOR } from "./follow-up-rx.fixtures";

/*
 * Issue 12, signing at a province's peak: a signature costs TWO D1 round trips, the read
 * batch (Idempotency-Key, the doctor's signature count, rule context, routing) and the
 * guarded write batch (prescription, supply, orders, events, outbox, audit, the key with its
 * answer). Nothing is claimed before the write, so the key's guarantees rest on that batch.
 */

async function aPatient(): Promise<string> {
  const id = `pat-trips-${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare("INSERT INTO patients (id, name, gender, birth_date, created_at) VALUES (?, '往返', 'female', '1962-04-01', '2026-01-01')").bind(id).run();
  return id;
}

/** A service context counting round trips, with the D1 rate limiter on the same counted binding (as a request has). */
async function limitedCtx(): Promise<{ ctx: RxCtx; trips: () => number }> {
  const { ctx, trips } = await countedCtx();
  return { ctx: { ...ctx, limiter: d1RateLimiter(ctx.db) }, trips };
}

/** The doctor's signature count in every window so far (the stored key is the rule's name and the doctor's digest). */
async function signaturesCounted(): Promise<number> {
  const key = `${SIGNING_PER_USER.name}:${(await sha256Hex(SHIMEN_DOCTOR.sub)).slice(0, 32)}`;
  return (await env.DB.prepare("SELECT coalesce(sum(count), 0) AS n FROM rate_limits WHERE key = ?").bind(key).first<{ n: number }>())?.n ?? 0;
}

const count = async (sql: string, ...params: string[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())?.n ?? 0;
const prescriptionsOf = (patientId: string) => count("SELECT count(*) AS n FROM prescriptions WHERE patient_id = ?", patientId);
const keysOf = (key: string) => count("SELECT count(*) AS n FROM idempotency_keys WHERE key = ?", key);

describe("signing's round trips", () => {
  beforeAll(loadDemoSeed);

  it("signs in two (the count and the key in the read), replays in one, and counts every attempt", async () => {
    const draft = aNormalPrescription(await aPatient());
    const key = crypto.randomUUID();
    const before = await signaturesCounted();
    const signing = await limitedCtx();
    const signed = await signPrescription(signing.ctx, key, draft);
    expect(signed).toMatchObject({ status: 201, replayed: false });
    expect(signing.trips()).toBe(2);
    expect(await signaturesCounted()).toBe(before + 1);

    const replaying = await limitedCtx();
    const replay = await signPrescription(replaying.ctx, key, draft);
    expect(replay).toEqual({ ...signed, replayed: true });
    expect(replaying.trips()).toBe(1);
    expect(await signaturesCounted()).toBe(before + 2);
    expect(await prescriptionsOf(draft.patientId)).toBe(1);
  });

  it("stores a rule-error 422 under the key in the second round trip, and replays it", async () => {
    const draft = { ...aNormalPrescription(await aPatient(), AMLODIPINE, 10), diagnoses: [] };
    const key = crypto.randomUUID();
    const first = await countedCtx();
    const refused = await signPrescription(first.ctx, key, draft);
    expect(refused.status).toBe(422);
    expect(first.trips()).toBe(2);
    const again = await countedCtx();
    expect(await signPrescription(again.ctx, key, draft)).toEqual({ ...refused, replayed: true });
    expect(again.trips()).toBe(1);
    expect(await prescriptionsOf(draft.patientId)).toBe(0);
  });

  it("an error before the write (unknown patient) stores nothing under the key: one round trip, and the key stays free", async () => {
    const key = crypto.randomUUID();
    const missing = await countedCtx();
    expect(await outcomes([signPrescription(missing.ctx, key, aNormalPrescription("pat-no-such-patient"))])).toEqual(["not-found: no patient pat-no-such-patient"]);
    expect(missing.trips()).toBe(1);
    expect(await keysOf(key)).toBe(0);
    const later = await countedCtx();
    expect((await signPrescription(later.ctx, key, aNormalPrescription(await aPatient()))).status).toBe(201);
  });
});

describe("one Idempotency-Key at one instant, without a claim", () => {
  beforeAll(loadDemoSeed);

  /** `n` signings with one key whose reads all complete before any writes: the worst interleaving. */
  async function signTogether(key: string, drafts: ReturnType<typeof aNormalPrescription>[]) {
    const d1 = readTogether(drafts.length);
    const signer = await getSigner(env);
    return drafts.map((draft, i) =>
      signPrescription({ db: getDb(d1()), actor: SHIMEN_DOCTOR, requestId: `same-key-${i}`, now: new Date(), signer, queue: env.ORDER_QUEUE, leadDays: DEFAULT_LEAD_DAYS }, key, draft),
    );
  }

  it("the same body twice: one prescription, and both answers are its 201 (the second a replay)", async () => {
    const draft = aNormalPrescription(await aPatient());
    const key = crypto.randomUUID();
    const answers = await Promise.all(await signTogether(key, [draft, draft]));
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(answers.map((a) => a.replayed).sort()).toEqual([false, true]);
    expect(answers[0]?.body).toEqual(answers[1]?.body);
    expect(await prescriptionsOf(draft.patientId)).toBe(1);
    expect(await keysOf(key)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM audit_events WHERE action = 'prescription.sign' AND entity_id IN (SELECT id FROM prescriptions WHERE patient_id = ?)", draft.patientId)).toBe(1);
  });

  it("another body with the same key: the loser is refused (idempotency-key-reused) and writes nothing", async () => {
    const [a, b] = [aNormalPrescription(await aPatient()), aNormalPrescription(await aPatient())];
    const key = crypto.randomUUID();
    const settled = await outcomes(await signTogether(key, [a, b]));
    expect(settled.sort()).toEqual(["idempotency-key-reused: this Idempotency-Key was used with a different body", "ok"]);
    expect((await prescriptionsOf(a.patientId)) + (await prescriptionsOf(b.patientId))).toBe(1);
  });
});

describe("routing reads the chosen pickup window only", () => {
  beforeAll(loadDemoSeed);

  const pickupAt = async (pickupSiteId: string) => ({ ...aNormalPrescription(await aPatient()), fulfilment: { mode: "pickup" as const, pickupSiteId } });
  const orderOf = async (prescriptionId: string) =>
    env.DB.prepare("SELECT pharmacy_id AS pharmacyId, pickup_site_id AS pickupSiteId FROM orders WHERE prescription_id = ?").bind(prescriptionId).first<{ pharmacyId: string; pickupSiteId: string }>();

  it("routes a pickup at either of the consortium's windows to its pharmacy", async () => {
    for (const site of ["site-cloud-shimen", "site-cloud-chengguan"]) {
      const { ctx } = await countedCtx();
      const signed = await signPrescription(ctx, crypto.randomUUID(), await pickupAt(site));
      expect(signed.status).toBe(201);
      expect(await orderOf((signed.body as { id: string }).id)).toEqual({ pharmacyId: "pharm-cloud", pickupSiteId: site });
    }
  });

  it("refuses a window that does not exist (422 no-eligible-pharmacy), storing nothing under the key", async () => {
    const { ctx } = await countedCtx();
    const key = crypto.randomUUID();
    const draft = await pickupAt("site-no-such-window");
    expect(await outcomes([signPrescription(ctx, key, draft)])).toEqual(["no-eligible-pharmacy: no contracted pharmacy can fulfil this prescription as requested"]);
    expect(await prescriptionsOf(draft.patientId)).toBe(0);
    expect(await keysOf(key)).toBe(0);
  });
});
