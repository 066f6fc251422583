import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { z } from "@hono/zod-openapi";
import { addDays, chinaDate } from "../lib/clock";
import { expectMember } from "../members/members.repo";
import { ageOn } from "../members/patient-view";
import { notAMember } from "../members/patients.service";
import { auditDuePage, type DueWindow, dueListQuery } from "./follow-up.repo";
import { type DueCursor, type DueItem, type FollowUpReason, LAPSED_DAYS } from "./follow-up.schemas";
import { daysBetween } from "./overview.service";

/** json_group_array of generic names (follow-up.repo dueListQuery). */
const DrugNames = z.array(z.string());

export interface DueRequest {
  withinDays: number;
  limit: number;
  after?: DueCursor;
}

export interface DuePage {
  items: DueItem[];
  /** the keyset of the last item when another page follows */
  next: DueCursor | null;
}

/**
 * The doctor's due list in ONE round trip, whatever the number of patients: the membership
 * guard (a doctor who is not a registered practitioner of the token's institution rolls the
 * batch back: 403), the audit row that ranks the whole list once and records the ids of
 * the page, and the page's rows read back from that row (follow-up.repo auditDuePage).
 */
export async function listDue(ctx: Ctx, req: DueRequest): Promise<DuePage> {
  const today = chinaDate(ctx.now);
  const window: DueWindow = { today, horizon: addDays(today, req.withinDays), lapsedFrom: addDays(today, -LAPSED_DAYS) };
  const [, , rows] = await ctx.db
    .batch([
      expectMember(ctx.db, ctx.actor),
      auditDuePage(ctx, { window, limit: req.limit, ...(req.after ? { after: { dueOn: req.after.d, patientId: req.after.p } } : {}) }),
      dueListQuery(ctx.db, ctx.requestId, window),
    ])
    .catch((err: unknown) => {
      throw isGuardFailure(err) ? notAMember(ctx) : err;
    });
  const items = rows.map((r): DueItem => {
    const reasons: FollowUpReason[] = [];
    if (r.ending) reasons.push("supply_ending");
    if (r.lapsed) reasons.push("supply_lapsed");
    if (r.triggerOn !== null) reasons.push("reassessment_due");
    return {
      patientId: r.patientId,
      name: r.name,
      gender: r.gender as DueItem["gender"],
      age: ageOn(r.birthDate, today),
      reasons,
      dueOn: r.dueOn,
      daysLeft: daysBetween(today, r.dueOn),
      lastLongPrescription: r.writtenAt !== null && r.days !== null ? { writtenAt: r.writtenAt, institutionName: r.institutionName ?? "", days: r.days } : null,
      drugs: DrugNames.parse(JSON.parse(r.drugs)),
    };
  });
  const last = items.at(-1);
  const more = rows.some((r) => r.more === 1);
  return { items, next: more && last ? { d: last.dueOn, p: last.patientId } : null };
}
