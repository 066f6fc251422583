import { env } from "cloudflare:workers";
import { getDb } from "../../worker/db/index";
import type { Principal } from "../../worker/http/auth";
import { DEFAULT_LEAD_DAYS } from "../../worker/pharmacy/fulfilment";
import type { RxCtx } from "../../worker/prescriptions/prescriptions.service";
import { getSigner } from "../../worker/signing/signer";
import { countingD1 } from "../support/d1-counter";
import { tokenFor } from "../support/api";

/** Shared by the doctor's follow-up tests (renewal, print, inbox, my prescriptions, replaces); not a test file itself. */

export const SHIMEN_DOCTOR: Principal = { sub: "doc-shimen-gp-intermediate", role: "doctor", org: "inst-shimen", name: "邓春梅" };
export const shimenDoctor = () => tokenFor("doctor", SHIMEN_DOCTOR.sub, SHIMEN_DOCTOR.org);
/** another doctor of the same institution */
export const shimenJunior = () => tokenFor("doctor", "doc-shimen-gp-junior", "inst-shimen");
/** 曹德贵, the village doctor of the issue (inst-fenglin) */
export const fenglinDoctor = () => tokenFor("doctor", "doc-fenglin-village", "inst-fenglin");
/** a doctor of another institution */
export const countyDoctor = () => tokenFor("doctor", "doc-county-im-senior", "inst-county");
/** a token naming an institution its subject is not a registered practitioner of */
export const impostorDoctor = () => tokenFor("doctor", "doc-county-im-senior", "inst-shimen");
export const anAdmin = () => tokenFor("admin", "admin-county", "inst-county");

/** A service context for `actor` on a D1 binding that counts round trips (test/support/d1-counter.ts). */
export async function countedCtx(actor: Principal = SHIMEN_DOCTOR): Promise<{ ctx: RxCtx; trips: () => number }> {
  const counter = countingD1(env.DB);
  const ctx: RxCtx = {
    db: getDb(counter.db),
    actor,
    requestId: `trips-${crypto.randomUUID()}`,
    now: new Date(),
    signer: await getSigner(env),
    queue: env.ORDER_QUEUE,
    leadDays: DEFAULT_LEAD_DAYS,
  };
  return { ctx, trips: counter.count };
}

/** The audit rows of an entity, oldest first. */
export async function auditRows(entityType: string, entityId: string) {
  const rows = await env.DB.prepare("SELECT action, actor_id, after FROM audit_events WHERE entity_type = ? AND entity_id = ? ORDER BY id").bind(entityType, entityId).all<{
    action: string;
    actor_id: string;
    after: string | null;
  }>();
  return rows.results;
}
