/**
 * Patients registered before names carried their pinyin initials (migration 0008) cannot be
 * found by ZGL: the cron fills their pinyin, a bounded number per run, until none is left.
 * New patients get theirs when they are written (createPatient), so this runs dry and then
 * costs one indexed read per run (patients_pinyin holds the NULLs first).
 */
import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { type Db, getDb } from "../db/index";
import type { Bindings } from "../env";
import { pinyinInitials } from "../formulary/formulary.search";
import { patientsWithoutPinyinQuery, setMissingPinyin } from "./members.repo";

/** Patients per run: one JSON parameter each way, far below D1's value and time limits. */
export const PINYIN_BACKFILL_LIMIT = 500;

/** Who the audit row names: the platform's scheduler, not a person. */
const SCHEDULER: Ctx["actor"] = { sub: "system:yaolian", role: "admin", org: "system", name: "YaoLian scheduler" };

/**
 * One run: reads up to `limit` patients without pinyin, writes their initials and one audit
 * row (the ids, never the names) in one batch. A name without any letter or Chinese
 * character gets "" so it is not read again every run. Returns how many were filled.
 */
export async function backfillPatientPinyin(db: Db, now: Date, limit = PINYIN_BACKFILL_LIMIT): Promise<number> {
  const missing = await patientsWithoutPinyinQuery(db, limit);
  if (missing.length === 0) return 0;
  const ctx: Ctx = { db, actor: SCHEDULER, requestId: `cron-${now.toISOString()}`, now };
  const rows = missing.map((p): [string, string] => [p.id, pinyinInitials(p.name)]);
  await db.batch([
    setMissingPinyin(db, rows),
    auditStatement(ctx, { action: "patient.pinyin.backfill", entityType: "patient_backfill", entityId: ctx.requestId, after: { patientIds: rows.map(([id]) => id) } }),
  ]);
  return rows.length;
}

/** The cron's entry (worker/index.ts): a failure is logged and left to the next run, never thrown at the other cron work. */
export async function runPinyinBackfill(env: Bindings, now: Date): Promise<number> {
  try {
    const filled = await backfillPatientPinyin(getDb(env.DB), now);
    if (filled > 0) console.log(JSON.stringify({ level: "info", msg: "patient pinyin backfill", at: now.toISOString(), filled }));
    return filled;
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "patient pinyin backfill failed", error: err instanceof Error ? err.message : "unknown" }));
    return 0;
  }
}
