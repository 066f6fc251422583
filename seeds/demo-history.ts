import type { BoundStatement } from "../worker/db/bulk";
import { bulkInsert } from "../worker/db/bulk";
import type { EntryContent } from "../worker/formulary/formulary.schemas";
import { canonicalJson } from "../worker/lib/canonical-json";
import { addDays } from "../worker/lib/clock";
import { sha256Hex } from "../worker/lib/encoding";
import type { Signer } from "../worker/signing/signer";
import { prescriptionItems, prescriptions } from "../schema";
import { drugIngredients } from "../worker/rules/ingredients";
import { planOrders } from "../worker/pharmacy/orders/order-plan";

/** The demo's desk cloud pharmacy (seeds/demo-consortium.ts), where the demo orders are routed. */
const DEMO_CLOUD = { id: "pharm-cloud", name: "青溪县域云药房", integration: "desk" as const, deliveryRegions: ["青溪县"], capabilities: ["cold_chain", "delivery", "pickup"] };

/**
 * A demo prescription signed (its statements) and its orders at the cloud pharmacy planned
 * as signing would plan them (instalments, lead days, timeline events), for the demo seeds
 * to give readable ids and a later life.
 */
export async function demoSignedOrders(signer: Signer, entries: EntryContent[], formularyVersion: number, rx: DemoPrescription, at: Date, instalments = 1) {
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const signed = await demoPrescriptionStatements(signer, entries, formularyVersion, rx);
  const plan = planOrders({
    prescriptionId: rx.id,
    patientId: rx.patientId,
    institutionId: rx.institutionId,
    startDate: rx.date,
    days: rx.days,
    instalments,
    leadDays: 7,
    fulfilment: rx.fulfilment,
    items: rx.items.map((i) => ({ drugCode: i.drugCode, genericName: byCode.get(i.drugCode)?.genericName ?? i.drugCode, packages: i.packages, storage: byCode.get(i.drugCode)?.storage ?? "normal" })),
    pharmacy: DEMO_CLOUD,
    actor: { id: rx.prescriberId, role: "doctor" },
    now: at,
    signed: signed.signed,
  });
  return { statements: signed.statements, plan };
}

/** A demo prescription as a doctor would have written it; demoPrescriptionStatements freezes and signs it. */
export interface DemoPrescription {
  id: string;
  patientId: string;
  prescriberId: string;
  prescriberTitle: "junior" | "intermediate" | "associate_senior" | "senior";
  institutionId: string;
  institutionLevel: "village" | "primary" | "secondary" | "tertiary";
  kind: "normal" | "emergency" | "long_term";
  writtenAt: string;
  /** China date of writtenAt: the supply lines start here */
  date: string;
  days: number;
  status: "signed" | "completed";
  diagnoses: { icd10: string; name: string }[];
  items: readonly { drugCode: string; dose: { value: number; unit: string }; frequency: string; days: number; packages: number }[];
  longTerm: { firstIssue: boolean; assessment: string; patientConfirmed: boolean } | null;
  extendedReason?: string;
  fulfilment: { mode: "pickup" | "delivery"; pickupSiteId?: string; address?: { region: string; line: string; phone: string }; instalments?: number };
}

/** The entry's ingredients, as signing writes them on a supply line. */
function ingredientsOf(entry: EntryContent | undefined) {
  return entry ? drugIngredients(entry) : null;
}

/**
 * The frozen content, hash and signature of a demo prescription (the shape
 * prescriptions.service frozenContent writes), its row and its supply lines. It is signed
 * at load time with the deployment's key, like any prescription, so it verifies.
 */
export async function demoPrescriptionStatements(signer: Signer, entries: EntryContent[], formularyVersion: number, rx: DemoPrescription) {
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const content = {
    id: rx.id,
    kind: rx.kind,
    writtenAt: rx.writtenAt,
    patientId: rx.patientId,
    prescriber: { id: rx.prescriberId, title: rx.prescriberTitle, institutionId: rx.institutionId, institutionLevel: rx.institutionLevel },
    diagnoses: rx.diagnoses,
    items: rx.items.map((item) => {
      const drug = byCode.get(item.drugCode);
      return { ...item, drug: drug ? { code: drug.code, version: 1, genericName: drug.genericName, form: drug.form, strength: drug.strength, pack: drug.pack, atc: drug.atc } : null };
    }),
    extendedReason: rx.extendedReason ?? null,
    longTerm: rx.longTerm,
    fulfilment: rx.fulfilment,
    formularyVersion,
    warnings: [],
  };
  const contentText = canonicalJson(content);
  const contentHash = await sha256Hex(contentText);
  const signature = await signer.sign(contentHash);
  const statements: BoundStatement[] = [
    ...bulkInsert(prescriptions, [
      {
        id: rx.id,
        patientId: rx.patientId,
        prescriberId: rx.prescriberId,
        institutionId: rx.institutionId,
        kind: rx.kind,
        writtenAt: rx.writtenAt,
        days: rx.days,
        longTermFirstIssue: rx.longTerm?.firstIssue ?? null,
        status: rx.status,
        content: contentText,
        contentHash,
        signature,
        signatureKeyId: signer.keyId,
        formularyVersion,
        findings: [],
        createdAt: rx.writtenAt,
        cancelledAt: null,
        cancelledBy: null,
        cancelReason: null,
        version: 1,
      },
    ]),
    ...bulkInsert(
      prescriptionItems,
      rx.items.map((item, idx) => ({
        prescriptionId: rx.id,
        idx,
        patientId: rx.patientId,
        institutionId: rx.institutionId,
        drugCode: item.drugCode,
        genericName: byCode.get(item.drugCode)?.genericName ?? item.drugCode,
        atc: byCode.get(item.drugCode)?.atc ?? null,
        ingredients: ingredientsOf(byCode.get(item.drugCode)),
        startDate: rx.date,
        endDate: addDays(rx.date, item.days),
        days: item.days,
        packages: item.packages,
        active: true,
      })),
    ),
  ];
  return { statements, signed: { contentHash, signature, signatureKeyId: signer.keyId, content } };
}

/**
 * The demo patient pat-001's first long prescription (a completed, signed record), so the
 * issue's demo renewal by the village doctor has the first issue it rests on.
 */
export const DEMO_FIRST_LONG_RX: DemoPrescription = {
  id: "rx_demo_pat001_first",
  patientId: "pat-001",
  prescriberId: "doc-shimen-gp-intermediate",
  prescriberTitle: "intermediate",
  institutionId: "inst-shimen",
  institutionLevel: "primary",
  kind: "long_term",
  writtenAt: "2026-08-28T01:30:00.000Z",
  date: "2026-08-28",
  days: 84,
  status: "completed",
  diagnoses: [
    { icd10: "I10", name: "原发性高血压" },
    { icd10: "E11.9", name: "2型糖尿病" },
  ],
  items: [
    { drugCode: "W315-05", dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 84, packages: 168 },
    { drugCode: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd", days: 84, packages: 3 },
  ],
  longTerm: { firstIssue: true, assessment: "高血压、2型糖尿病病情稳定，用药方案明确，依从性好，首次开具长期处方。", patientConfirmed: true },
  fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
};

export async function demoHistoryStatements(signer: Signer, entries: EntryContent[], formularyVersion: number): Promise<BoundStatement[]> {
  return (await demoPrescriptionStatements(signer, entries, formularyVersion, DEMO_FIRST_LONG_RX)).statements;
}
