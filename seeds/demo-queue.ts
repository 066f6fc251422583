import { orderEvents, orders } from "../schema";
import { type BoundStatement, bulkInsert } from "../worker/db/bulk";
import type { EntryContent } from "../worker/formulary/formulary.schemas";
import { chinaDate } from "../worker/lib/clock";
import type { OrderRow } from "../worker/pharmacy/orders/orders.repo";
import type { Signer } from "../worker/signing/signer";
import { type DemoPrescription, demoSignedOrders } from "./demo-history";

/**
 * A morning's work for the cloud pharmacy's desk, written at load time ("today"), so a
 * pharmacist who signs in to a fresh `npm start` finds a queue: five prescriptions signed
 * by the consortium's doctors in the last hours, routed to 青溪县域云药房 (pickup at either
 * window, one delivery, one long prescription in three instalments), one already approved.
 * Only `npm start` and the browser tests load it; the integration tests start from an empty
 * queue. The prescriptions are valid under the rules (each was checked by validating the
 * same draft through the API) and signed with the deployment's key, so they verify.
 */


export type QueueEntry = { rx: Omit<DemoPrescription, "writtenAt" | "date" | "status" | "id">; minutesAgo: number; approvedBy?: string };

const CHENGGUAN_GP = { prescriberId: "doc-chengguan-gp-intermediate", prescriberTitle: "intermediate", institutionId: "inst-chengguan", institutionLevel: "primary" } as const;
const FIRST_ISSUE = (assessment: string) => ({ firstIssue: true, assessment, patientConfirmed: true });

export const DEMO_QUEUE: QueueEntry[] = [
  {
    minutesAgo: 95,
    rx: {
      ...CHENGGUAN_GP,
      patientId: "pat-009",
      kind: "long_term",
      days: 28,
      diagnoses: [
        { icd10: "I10", name: "原发性高血压" },
        { icd10: "E11.9", name: "2型糖尿病" },
      ],
      items: [
        { drugCode: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd", days: 28, packages: 1 },
        { drugCode: "W315-05", dose: { value: 0.5, unit: "g" }, frequency: "bid", days: 28, packages: 56 },
      ],
      longTerm: FIRST_ISSUE("血压、血糖控制达标，病情稳定，用药方案 3 个月未变，首次开具 4 周长期处方。"),
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-chengguan" },
    },
  },
  {
    minutesAgo: 70,
    approvedBy: "ph-cloud-2",
    rx: {
      prescriberId: "doc-county-cardio-senior",
      prescriberTitle: "senior",
      institutionId: "inst-county",
      institutionLevel: "secondary",
      patientId: "pat-002",
      kind: "normal",
      days: 7,
      diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
      items: [{ drugCode: "W154-05", dose: { value: 30, unit: "mg" }, frequency: "qd", days: 7, packages: 7 }],
      longTerm: null,
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-chengguan" },
    },
  },
  {
    minutesAgo: 40,
    rx: {
      ...CHENGGUAN_GP,
      patientId: "pat-011",
      kind: "long_term",
      days: 28,
      diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
      items: [{ drugCode: "W154-05", dose: { value: 30, unit: "mg" }, frequency: "qd", days: 28, packages: 28 }],
      longTerm: FIRST_ISSUE("血压控制平稳，用药方案稳定；行动不便，配送到家。"),
      fulfilment: { mode: "delivery", address: { region: "青溪县/城关镇", line: "人民路 126 号 3 单元 201", phone: "13907310411" } },
    },
  },
  {
    minutesAgo: 25,
    rx: {
      ...CHENGGUAN_GP,
      patientId: "pat-007",
      kind: "long_term",
      days: 28,
      diagnoses: [{ icd10: "E78.5", name: "高脂血症" }],
      items: [{ drugCode: "W201-02", dose: { value: 20, unit: "mg" }, frequency: "qn", days: 28, packages: 28 }],
      longTerm: FIRST_ISSUE("血脂达标，肝功能正常，首次开具 4 周长期处方。"),
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-chengguan" },
    },
  },
  {
    minutesAgo: 10,
    rx: {
      prescriberId: "doc-county-im-senior",
      prescriberTitle: "senior",
      institutionId: "inst-county",
      institutionLevel: "secondary",
      patientId: "pat-008",
      kind: "long_term",
      days: 84,
      diagnoses: [
        { icd10: "I69.3", name: "脑梗死后遗症" },
        { icd10: "E78.5", name: "高脂血症" },
      ],
      items: [
        { drugCode: "W077-06", dose: { value: 0.1, unit: "g" }, frequency: "qd", days: 84, packages: 3 },
        { drugCode: "W201-02", dose: { value: 20, unit: "mg" }, frequency: "qn", days: 84, packages: 84 },
      ],
      longTerm: { firstIssue: true, assessment: "脑梗死后遗症期，病情稳定 1 年余，二级预防方案明确，严格评估后首次开具 12 周长期处方，分三次取药。", patientConfirmed: true },
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen", instalments: 3 },
    },
  },
];

export async function demoQueueStatements(signer: Signer, entries: EntryContent[], formularyVersion: number, now: Date): Promise<BoundStatement[]> {
  const statements: BoundStatement[] = [];
  const allOrders: OrderRow[] = [];
  const events: (typeof orderEvents.$inferInsert)[] = [];
  for (const [n, entry] of DEMO_QUEUE.entries()) {
    const at = new Date(now.getTime() - entry.minutesAgo * 60_000);
    const rx: DemoPrescription = { ...entry.rx, id: `rx_demo_queue_${n + 1}`, writtenAt: at.toISOString(), date: chinaDate(at), status: "signed" };
    const { statements: signedStatements, plan } = await demoSignedOrders(signer, entries, formularyVersion, rx, at, rx.fulfilment.instalments ?? 1);
    statements.push(...signedStatements);
    plan.orders.forEach((o, i) => {
      // readable demo ids (the order is found by its id on the desk page)
      o.id = `ord_demo_${n + 1}_${i + 1}`;
    });
    for (const [i, e] of plan.events.entries()) e.orderId = plan.orders[i]?.id ?? e.orderId;
    events.push(...plan.events);
    const first = plan.orders[0];
    if (entry.approvedBy && first) {
      const approvedAt = new Date(at.getTime() + 15 * 60_000).toISOString();
      events.push({ orderId: first.id, at: approvedAt, fromStatus: "pending_review", toStatus: "approved", actorId: entry.approvedBy, actorRole: "pharmacist", source: "desk", note: null });
      Object.assign(first, { status: "approved", version: 2, updatedAt: approvedAt });
    }
    allOrders.push(...plan.orders);
  }
  statements.push(...bulkInsert(orders, allOrders), ...bulkInsert(orderEvents, events));
  return statements;
}
