/**
 * What the prescription scenarios need in the bench database, and their request bodies.
 *
 * - the demo consortium (institutions, practitioners, patients, pharmacies, pickup sites,
 *   interactions) and five real NEML 2026 chronic-disease entries, loaded with the same
 *   statements as `npm run seed:local` (seeds/seed-sql.ts `seedStatements`: formulary
 *   version 1, one seed import record), BEFORE the 10k import (which then makes version 2);
 * - pat-001's first long prescription (seeds/demo-history.ts), signed with the bench key,
 *   so the 12-week renewal of the validate scenario rests on it;
 * - synthetic patients (no conditions, allergies or supply) for sign-and-route: each gets
 *   at most one prescription per run, so safety-duplicate-ingredient never fires;
 * - synthetic signing doctors (a province's peak is many doctors, not one) at synthetic
 *   primary-level institutions, each with a pickup window of the desk pharmacy: request n is
 *   signed by doctor n mod count for patient n, so no doctor signs more than
 *   patients / doctors prescriptions in a run and the per-doctor limit (30 a minute, enforced
 *   as in production) never decides the figures.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Miniflare } from "miniflare";
import * as schema from "../schema/index.ts";
import { DEMO_CONSORTIUM } from "../seeds/demo-consortium.ts";
import { demoHistoryStatements } from "../seeds/demo-history.ts";
import { nemlSeed } from "../seeds/neml/convert.ts";
import { seedStatements } from "../seeds/seed-sql.ts";
import type { Bindings } from "../worker/env.ts";
import { type BoundStatement, bulkInsert } from "../worker/db/bulk.ts";
import type { EntryContent } from "../worker/formulary/formulary.schemas.ts";
import { getSigner } from "../worker/signing/signer.ts";
import { supplyPlan } from "../worker/rules/quantity.ts";
import type { Frequency } from "../worker/rules/types.ts";

/** Ed25519 private JWK (with kid) as RX_SIGNING_KEY expects it: generated per run, never stored. */
export function benchSigningKey(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  return JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid: `bench-${Date.now().toString(36)}` });
}

interface ItemPlan {
  code: string;
  dose: { value: number; unit: string };
  frequency: Frequency;
}

/**
 * pat-001's 12-week renewal (seeds/README.md, "the happy path"): stable I10 + E11.9, all five
 * long-Rx-eligible oral village-level NEML drugs, no two of one ATC level-4 class, no listed
 * interaction between them.
 */
const RENEWAL_ITEMS: ItemPlan[] = [
  { code: "W315-05", dose: { value: 0.5, unit: "g" }, frequency: "bid" }, // 二甲双胍 0.5 g 片
  { code: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd" }, // 氨氯地平 5 mg ×28 片
  { code: "W179-02", dose: { value: 0.15, unit: "g" }, frequency: "qd" }, // 厄贝沙坦 0.15 g 片
  { code: "W321-01", dose: { value: 50, unit: "mg" }, frequency: "tid" }, // 阿卡波糖 50 mg ×30 片
  { code: "W264-03", dose: { value: 25, unit: "mg" }, frequency: "qd" }, // 氢氯噻嗪 25 mg ×100 片
];
export const RX_CODES = RENEWAL_ITEMS.map((i) => i.code);

export const RENEWAL = { patientId: "pat-001", doctor: { sub: "doc-fenglin-village", org: "inst-fenglin", name: "曹德贵" } } as const;
export const SIGNER_DOCTOR = { sub: "doc-shimen-gp-intermediate", org: "inst-shimen", name: "邓春梅" } as const;
export const PICKUP_SITE = "site-cloud-shimen";
export const PICKUP_PHARMACY = "pharm-cloud";

/** A synthetic signing doctor: token claims, the pickup window of their institution and its region. */
export interface SignDoctor {
  sub: string;
  org: string;
  name: string;
  siteId: string;
  region: string;
}

/** Towns of the demo county: 城关镇 and 石门乡 are delivered by the desk pharmacy, 桃源镇 by the external 仁和. */
const TOWNS = ["青溪县/城关镇", "青溪县/石门乡", "青溪县/桃源镇"] as const;
const EXTERNAL_DELIVERY_REGION = "青溪县/桃源镇/桃源街";
const DESK_DELIVERY_REGION = "青溪县/石门乡/枫林村";

/** A county's township centres with a pickup window: at most this many institutions, however many doctors. */
const MAX_INSTITUTIONS = 60;
/** `count` doctors, five per institution up to MAX_INSTITUTIONS, dealt round robin (consecutive requests come from different institutions). */
export function signDoctors(count: number): SignDoctor[] {
  const institutions = Math.min(MAX_INSTITUTIONS, Math.max(1, Math.ceil(count / 5)));
  return Array.from({ length: count }, (_, i) => {
    const inst = i % institutions;
    const tag = String(inst + 1).padStart(3, "0");
    return { sub: `bench-doc-${String(i + 1).padStart(5, "0")}`, org: `bench-inst-${tag}`, name: `压测医生${i + 1}`, siteId: `bench-site-${tag}`, region: TOWNS[inst % TOWNS.length] ?? TOWNS[0] };
  });
}

function signDoctorStatements(doctors: SignDoctor[], at: string): BoundStatement[] {
  const institutions = [...new Map(doctors.map((d) => [d.org, d])).values()];
  return [
    ...bulkInsert(
      schema.institutions,
      institutions.map((d) => ({ id: d.org, name: `压测卫生院${d.org.slice(-3)}`, level: "primary", region: d.region, createdAt: at })),
    ),
    ...bulkInsert(
      schema.pharmacySites,
      institutions.map((d) => ({ id: d.siteId, pharmacyId: PICKUP_PHARMACY, institutionId: d.org, name: `压测卫生院${d.org.slice(-3)}取药窗口`, address: `${d.region} 卫生院一楼` })),
    ),
    ...bulkInsert(
      schema.practitioners,
      doctors.map((d) => ({ id: d.sub, name: d.name, institutionId: d.org, title: "intermediate", specialties: ["general_practice"], createdAt: at })),
    ),
  ];
}

export interface RxFixtures {
  entries: EntryContent[];
  /** synthetic patient ids for sign-and-route, in the order they are used */
  patients: string[];
  /** synthetic signing doctors, used round robin */
  doctors: SignDoctor[];
  statements: number;
  seconds: number;
}

const patientId = (n: number) => `bench-pat-${String(n).padStart(6, "0")}`;

/** Loads members, the five NEML entries, pat-001's first long prescription, `patientCount` synthetic patients and `doctorCount` signing doctors. */
export async function loadRxFixtures(mf: Miniflare, opts: { root: string; signingKey: string; patientCount: number; doctorCount?: number }): Promise<RxFixtures> {
  const started = performance.now();
  const csv = await readFile(path.join(opts.root, "seeds/neml-2026/varieties.csv"), "utf8");
  const all = new Map(nemlSeed(csv).entries.map((e) => [e.code, e]));
  const entries = RX_CODES.map((code) => {
    const e = all.get(code);
    if (!e) throw new Error(`NEML seed has no entry ${code}`);
    if (!e.longRxEligible || e.route !== "oral") throw new Error(`NEML entry ${code} is not a long-Rx-eligible oral drug`);
    return e;
  });
  const at = new Date().toISOString();
  const signer = await getSigner({ RX_SIGNING_KEY: opts.signingKey } as Bindings);
  const patients = Array.from({ length: opts.patientCount }, (_, i) => patientId(i + 1));
  const doctors = signDoctors(opts.doctorCount ?? 0);
  const statements: BoundStatement[] = [
    ...seedStatements(entries, DEMO_CONSORTIUM, at),
    ...(await demoHistoryStatements(signer, entries, 1)),
    ...signDoctorStatements(doctors, at),
    ...bulkInsert(
      schema.patients,
      patients.map((id, i) => ({
        id,
        name: `压测患者${i + 1}`,
        gender: i % 2 === 0 ? "female" : "male",
        birthDate: `19${40 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
        createdAt: at,
      })),
    ),
  ];
  const db = await mf.getD1Database("DB", "app");
  await db.batch(statements.map((s) => db.prepare(s.sql).bind(...s.params)));
  return { entries, patients, doctors, statements: statements.length, seconds: (performance.now() - started) / 1000 };
}

function item(plan: ItemPlan, entries: EntryContent[], days: number) {
  const drug = entries.find((e) => e.code === plan.code);
  if (!drug) throw new Error(`no entry ${plan.code}`);
  const supply = supplyPlan({ drugCode: plan.code, dose: plan.dose, frequency: plan.frequency, days, packages: 1 }, drug);
  if (!("plan" in supply)) throw new Error(`${plan.code}: packages not computable (${"problem" in supply ? supply.problem : "适量"})`);
  // exactly what dose × frequency × days needs: neither short nor a package over
  return { drugCode: plan.code, dose: plan.dose, frequency: plan.frequency, days, packages: supply.plan.packagesNeeded };
}

/** The validate scenario: 5 items, long_term, 84 days, a renewal, pickup at a real site. */
export function renewalDraft(entries: EntryContent[]) {
  return {
    patientId: RENEWAL.patientId,
    kind: "long_term" as const,
    diagnoses: [
      { icd10: "I10", name: "原发性高血压" },
      { icd10: "E11.9", name: "2型糖尿病" },
    ],
    items: RENEWAL_ITEMS.map((p) => item(p, entries, 84)),
    longTerm: {
      firstIssue: false,
      assessment: "血压、血糖控制达标，病情稳定，用药方案明确，依从性好；已告知长期用药注意事项，续开 12 周。",
      patientConfirmed: true,
    },
    fulfilment: { mode: "pickup" as const, pickupSiteId: PICKUP_SITE },
  };
}

/** What sign-and-route draft n looks like: 1–3 items, and where it goes (pickup at the doctor's window, delivery by the desk pharmacy or by the external one). */
export function signShape(n: number) {
  const items = 1 + (n % 3);
  const route = (["pickup", "pickup", "desk delivery", "external delivery"] as const)[n % 4] ?? "pickup";
  return { items, route };
}

/** Hypertension; with metformin, diabetes too; the third item (acarbose) another class of the same indication. */
const SIGN_ITEMS = [RENEWAL_ITEMS[1], RENEWAL_ITEMS[0], RENEWAL_ITEMS[3]] as ItemPlan[];

/** Sign-and-route draft n of the bench, a normal 7-day prescription for a synthetic patient by a synthetic doctor (signShape). */
export function signDraft(entries: EntryContent[], patient: string, n: number, doctor: SignDoctor) {
  const shape = signShape(n);
  const fulfilment =
    shape.route === "pickup"
      ? { mode: "pickup" as const, pickupSiteId: doctor.siteId }
      : { mode: "delivery" as const, address: { region: shape.route === "external delivery" ? EXTERNAL_DELIVERY_REGION : DESK_DELIVERY_REGION, line: `幸福路${1 + (n % 200)}号`, phone: "13800000000" } };
  return {
    patientId: patient,
    kind: "normal" as const,
    diagnoses:
      shape.items > 1
        ? [
            { icd10: "I10", name: "原发性高血压" },
            { icd10: "E11.9", name: "2型糖尿病" },
          ]
        : [{ icd10: "I10", name: "原发性高血压" }],
    items: SIGN_ITEMS.slice(0, shape.items).map((p) => item(p, entries, 7)),
    fulfilment,
  };
}

/** The fault drill's draft (bench/drill.ts): a normal 7-day prescription for one of the synthetic patients, 1 or 2 items (alternating). */
export function normalDraft(entries: EntryContent[], patient: string, n: number) {
  const two = n % 2 === 1;
  return {
    patientId: patient,
    kind: "normal" as const,
    diagnoses: two
      ? [
          { icd10: "I10", name: "原发性高血压" },
          { icd10: "E11.9", name: "2型糖尿病" },
        ]
      : [{ icd10: "I10", name: "原发性高血压" }],
    items: (two ? [RENEWAL_ITEMS[1], RENEWAL_ITEMS[0]] : [RENEWAL_ITEMS[1]]).map((p) => item(p as ItemPlan, entries, 7)),
    fulfilment: { mode: "pickup" as const, pickupSiteId: PICKUP_SITE },
  };
}
