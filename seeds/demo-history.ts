import type { BoundStatement } from "../worker/db/bulk";
import { bulkInsert } from "../worker/db/bulk";
import type { EntryContent } from "../worker/formulary/formulary.schemas";
import { canonicalJson } from "../worker/lib/canonical-json";
import { addDays } from "../worker/lib/clock";
import { sha256Hex } from "../worker/lib/encoding";
import type { Signer } from "../worker/signing/signer";
import { prescriptionItems, prescriptions } from "../schema";

/**
 * The demo patient pat-001's first long prescription (a completed, signed record), so the
 * issue's demo renewal by the village doctor has the first issue it rests on. It is signed
 * at load time with the deployment's key, like any prescription.
 */
export const DEMO_FIRST_LONG_RX = {
  id: "rx_demo_pat001_first",
  patientId: "pat-001",
  prescriberId: "doc-shimen-gp-intermediate",
  institutionId: "inst-shimen",
  writtenAt: "2026-08-28T01:30:00.000Z",
  date: "2026-08-28",
  days: 84,
  items: [
    { drugCode: "W315-05", dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 84, packages: 168 },
    { drugCode: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd", days: 84, packages: 3 },
  ],
} as const;

export async function demoHistoryStatements(signer: Signer, entries: EntryContent[], formularyVersion: number): Promise<BoundStatement[]> {
  const rx = DEMO_FIRST_LONG_RX;
  const byCode = new Map(entries.map((e) => [e.code, e]));
  const content = {
    id: rx.id,
    kind: "long_term",
    writtenAt: rx.writtenAt,
    patientId: rx.patientId,
    prescriber: { id: rx.prescriberId, title: "intermediate", institutionId: rx.institutionId, institutionLevel: "primary" },
    diagnoses: [
      { icd10: "I10", name: "原发性高血压" },
      { icd10: "E11.9", name: "2型糖尿病" },
    ],
    items: rx.items.map((item) => {
      const drug = byCode.get(item.drugCode);
      return { ...item, drug: drug ? { code: drug.code, version: 1, genericName: drug.genericName, form: drug.form, strength: drug.strength, pack: drug.pack, atc: drug.atc } : null };
    }),
    extendedReason: null,
    longTerm: { firstIssue: true, assessment: "高血压、2型糖尿病病情稳定，用药方案明确，依从性好，首次开具长期处方。", patientConfirmed: true },
    fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
    formularyVersion,
    warnings: [],
  };
  const contentText = canonicalJson(content);
  const contentHash = await sha256Hex(contentText);
  const signature = await signer.sign(contentHash);
  return [
    ...bulkInsert(prescriptions, [
      {
        id: rx.id,
        patientId: rx.patientId,
        prescriberId: rx.prescriberId,
        institutionId: rx.institutionId,
        kind: "long_term",
        writtenAt: rx.writtenAt,
        days: rx.days,
        longTermFirstIssue: true,
        status: "completed",
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
        startDate: rx.date,
        endDate: addDays(rx.date, item.days),
        days: item.days,
        packages: item.packages,
        active: true,
      })),
    ),
  ];
}
