import { env } from "cloudflare:workers";
import type { DemoPrescription } from "../../seeds/demo-history";
import { demoPrescriptionStatements } from "../../seeds/demo-history";
import { prepare } from "../../worker/db/bulk";
import { getDb } from "../../worker/db/index";
import type { Ctx } from "../../worker/context";
import type { Principal } from "../../worker/http/auth";
import type { PrescriptionStatus } from "../../schema/enums";
import type { StoredFinding } from "../../worker/signing/findings.schema";
import { getSigner } from "../../worker/signing/signer";
import { countingD1 } from "../support/d1-counter";

/*
 * 处方点评 fixtures: signed prescriptions placed at any instant (the API signs only "now",
 * and a sample is drawn from a finished month), with the status and stored findings a test needs.
 */

export interface PlacedRx {
  id: string;
  institutionId: string;
  prescriberId: string;
  /** UTC instant of signing */
  at: string;
  patientId?: string;
  status?: PrescriptionStatus;
  findings?: StoredFinding[];
}

const LEVEL: Record<string, DemoPrescription["institutionLevel"]> = { "inst-county": "secondary", "inst-city": "tertiary", "inst-fenglin": "village", "inst-xikou": "village" };

/** Inserts the prescriptions as signed ones (a 7-day amlodipine each), then sets status and findings. */
export async function placePrescriptions(list: readonly PlacedRx[]): Promise<void> {
  const signer = await getSigner(env);
  const statements = [];
  for (const p of list) {
    const rx: DemoPrescription = {
      id: p.id,
      patientId: p.patientId ?? "pat-003",
      prescriberId: p.prescriberId,
      prescriberTitle: "junior",
      institutionId: p.institutionId,
      institutionLevel: LEVEL[p.institutionId] ?? "primary",
      kind: "normal",
      writtenAt: p.at,
      date: p.at.slice(0, 10),
      days: 7,
      status: "signed",
      diagnoses: [{ icd10: "I10", name: "原发性高血压" }],
      items: [{ drugCode: "W185-01", dose: { value: 5, unit: "mg" }, frequency: "qd", days: 7, packages: 1 }],
      longTerm: null,
      fulfilment: { mode: "pickup", pickupSiteId: "site-cloud-shimen" },
    };
    statements.push(...(await demoPrescriptionStatements(signer, [], 1, rx)).statements);
    statements.push({ sql: "UPDATE prescriptions SET status = ?, findings = ? WHERE id = ?", params: [p.status ?? "signed", JSON.stringify(p.findings ?? []), p.id] });
  }
  await env.DB.batch(statements.map((s) => prepare(env.DB, s)));
}

/** `count` prescriptions of one institution and doctor spread over a China month. */
export function monthOf(prefix: string, month: string, institutionId: string, prescriberId: string, count: number): PlacedRx[] {
  return Array.from({ length: count }, (_, n) => ({
    id: `${prefix}-${String(n).padStart(3, "0")}`,
    institutionId,
    prescriberId,
    at: new Date(`${month}-${String(1 + (n % 28)).padStart(2, "0")}T09:00:00+08:00`).toISOString(),
  }));
}

export const ADMIN: Principal = { sub: "admin-county", role: "admin", org: "inst-county", name: "刘建军" };

/** The D1 round trips a service call costs (test/support/d1-counter.ts). */
export async function roundTrips<T>(actor: Principal, run: (ctx: Ctx) => Promise<T>): Promise<{ trips: number; result: T }> {
  const counter = countingD1(env.DB);
  const result = await run({ db: getDb(counter.db), actor, requestId: `trips-${crypto.randomUUID()}`, now: new Date() });
  return { trips: counter.count(), result };
}
