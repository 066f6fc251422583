import { and, asc, desc, eq, gte, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import { auditEvents, institutions, patients, practitioners, prescriptions, reviewItems, reviewSamples } from "../../schema";
import type { Ctx } from "../context";
import type { Db } from "../db/index";
import { expectChanged, failIf } from "../db/guard";
import { monthSpan } from "./sampler";
import type { ReviewOutcome } from "./standard-items";

/*
 * The reads and writes of 处方点评. Only this file touches review_samples / review_items.
 * Rows from joins name every column that could collide (D1 answers a batch keyed by column
 * name, so prescriptions.status would overwrite review_samples.status).
 */

export type SampleRow = typeof reviewSamples.$inferSelect;

/** Prescriptions that count in a month's population: signed or completed; cancelled and replaced ones never reached the patient as written. */
const COUNTED = ["signed", "completed"] as const;
const COUNTED_SQL = sql.raw(`('${COUNTED.join("','")}')`);

/** The population of a month: every counted prescription signed (created) in it, per institution; on the prescriptions_institution index. */
export function populationQuery(db: Db, month: string, institutionId?: string) {
  const { startAt, endAt } = monthSpan(month);
  const where: SQL[] = [gte(prescriptions.createdAt, startAt), sql`${prescriptions.createdAt} < ${endAt}`, inArray(prescriptions.status, COUNTED)];
  where.push(institutionId ? eq(prescriptions.institutionId, institutionId) : sql`${prescriptions.institutionId} IN (SELECT id FROM ${institutions})`);
  return db.select({ id: prescriptions.id, institutionId: prescriptions.institutionId }).from(prescriptions).where(and(...where));
}

export function institutionsQuery(db: Db) {
  return db.select({ id: institutions.id, name: institutions.name }).from(institutions).orderBy(asc(institutions.id));
}

export function monthSamplesQuery(db: Db, month: string) {
  return db.select({ institutionId: reviewSamples.institutionId }).from(reviewSamples).where(eq(reviewSamples.month, month));
}

/**
 * A new sample and its prescriptions. The sample insert does nothing when the month and
 * institution already have one (another admin drew meanwhile): the guard rolls back. The
 * items are re-read from prescriptions in the statement, so a prescription cancelled since
 * the population was read makes the count differ and the guard rolls back too.
 */
export function insertSampleStatements(db: Db, sample: SampleRow, ids: readonly string[]) {
  return [
    db.insert(reviewSamples).values(sample).onConflictDoNothing(),
    expectChanged(db),
    db.insert(reviewItems).select(sql`
      SELECT ${sample.id}, p.id, ${sample.month}, p.institution_id, p.prescriber_id, NULL, '[]', NULL, NULL, NULL, 1
      FROM json_each(${JSON.stringify(ids)}) j JOIN ${prescriptions} p ON p.id = j.value
      WHERE p.institution_id = ${sample.institutionId} AND p.status IN ${COUNTED_SQL}`),
    failIf(db, sql`changes() <> ${ids.length}`),
  ] as const;
}

/** Progress of a sample: drawn, reviewed, rational (correlated on the review_items primary key). */
function progressColumns() {
  return {
    drawn: sql<number>`(SELECT count(*) FROM ${reviewItems} c WHERE c.sample_id = ${reviewSamples.id})`.as("drawn"),
    reviewed: sql<number>`(SELECT count(c.outcome) FROM ${reviewItems} c WHERE c.sample_id = ${reviewSamples.id})`.as("reviewed"),
    rational: sql<number>`(SELECT count(*) FROM ${reviewItems} c WHERE c.sample_id = ${reviewSamples.id} AND c.outcome = 'rational')`.as("rational"),
  };
}

function samplesSelect(db: Db) {
  return db
    .select({ sample: reviewSamples, institutionName: sql<string | null>`${institutions.name}`.as("institution_name"), ...progressColumns() })
    .from(reviewSamples)
    .leftJoin(institutions, eq(institutions.id, reviewSamples.institutionId));
}

export function sampleListQuery(db: Db, filter: { month?: string; institutionId?: string }) {
  const where: SQL[] = [];
  if (filter.month) where.push(eq(reviewSamples.month, filter.month));
  if (filter.institutionId) where.push(eq(reviewSamples.institutionId, filter.institutionId));
  return samplesSelect(db)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(reviewSamples.month), asc(reviewSamples.institutionId))
    .limit(500);
}

export function sampleQuery(db: Db, id: string) {
  return samplesSelect(db).where(eq(reviewSamples.id, id)).limit(1);
}

/** A sample's prescriptions with what the reviewer reads: content, findings, prescriber, the patient's sex and birth date. */
export function sampleItemsQuery(db: Db, sampleId: string) {
  return db
    .select({
      prescriptionId: reviewItems.prescriptionId,
      outcome: reviewItems.outcome,
      problems: reviewItems.problems,
      note: reviewItems.note,
      reviewerId: reviewItems.reviewerId,
      reviewedAt: reviewItems.reviewedAt,
      version: reviewItems.version,
      prescriberId: reviewItems.prescriberId,
      prescriberName: sql<string | null>`${practitioners.name}`.as("prescriber_name"),
      kind: prescriptions.kind,
      rxStatus: sql<string>`${prescriptions.status}`.as("rx_status"),
      signedAt: prescriptions.createdAt,
      days: prescriptions.days,
      content: prescriptions.content,
      findings: prescriptions.findings,
      patientId: prescriptions.patientId,
      gender: sql<string | null>`${patients.gender}`.as("patient_gender"),
      birthDate: sql<string | null>`${patients.birthDate}`.as("patient_birth_date"),
    })
    .from(reviewItems)
    .innerJoin(prescriptions, eq(prescriptions.id, reviewItems.prescriptionId))
    .leftJoin(patients, eq(patients.id, prescriptions.patientId))
    .leftJoin(practitioners, eq(practitioners.id, reviewItems.prescriberId))
    .where(eq(reviewItems.sampleId, sampleId))
    .orderBy(asc(prescriptions.createdAt), asc(reviewItems.prescriptionId));
}

function auditColumns(ctx: Ctx, action: string) {
  const a = ctx.actor;
  return sql`NULL, ${ctx.now.toISOString()}, ${a.sub}, ${a.role}, ${a.org}, ${action}`;
}

/** One audit row per patient whose data the sample's read shows (by id only), with the prescriptions read. */
export function auditSamplePatients(ctx: Ctx, sampleId: string) {
  return ctx.db.insert(auditEvents).select(sql`
    SELECT ${auditColumns(ctx, "review.sample.read")}, 'patient', p.patient_id, NULL,
           json_object('sampleId', ${sampleId}, 'prescriptionIds', json_group_array(p.id)), ${ctx.requestId}
    FROM ${reviewItems} ri JOIN ${prescriptions} p ON p.id = ri.prescription_id
    WHERE ri.sample_id = ${sampleId}
    GROUP BY p.patient_id`);
}

export interface ReviewWrite {
  sampleId: string;
  prescriptionId: string;
  expectedVersion: number;
  outcome: ReviewOutcome;
  problems: string[];
  note: string | null;
}

/**
 * A review of one item at the version the reviewer saw, while its sample is open: the audit
 * row (before read from the row, after as written) first, then the update and its guard; a
 * stale version or a closed sample changes nothing and rolls the audit row back with it.
 */
export function reviewItemStatements(ctx: Ctx, w: ReviewWrite) {
  const at = ctx.now.toISOString();
  const after = JSON.stringify({ outcome: w.outcome, problems: w.problems, note: w.note, version: w.expectedVersion + 1 });
  const match = and(eq(reviewItems.sampleId, w.sampleId), eq(reviewItems.prescriptionId, w.prescriptionId));
  return [
    ctx.db.insert(auditEvents).select(sql`
      SELECT ${auditColumns(ctx, "review.item.review")}, 'prescription_review', ri.prescription_id,
             json_object('sampleId', ri.sample_id, 'outcome', ri.outcome, 'problems', json(ri.problems), 'note', ri.note, 'version', ri.version),
             ${after}, ${ctx.requestId}
      FROM ${reviewItems} ri WHERE ri.sample_id = ${w.sampleId} AND ri.prescription_id = ${w.prescriptionId}`),
    ctx.db
      .update(reviewItems)
      .set({ outcome: w.outcome, problems: w.problems, note: w.note, reviewerId: ctx.actor.sub, reviewedAt: at, version: w.expectedVersion + 1 })
      .where(
        and(
          match,
          eq(reviewItems.version, w.expectedVersion),
          sql`EXISTS (SELECT 1 FROM ${reviewSamples} s WHERE s.id = ${w.sampleId} AND s.status = 'open')`,
        ),
      ),
    expectChanged(ctx.db),
  ] as const;
}

/** What a refused review write or close is explained with (read only on failure). */
export function sampleStatusQuery(db: Db, sampleId: string) {
  return db
    .select({
      status: reviewSamples.status,
      unreviewed: sql<number>`(SELECT count(*) FROM ${reviewItems} u WHERE u.sample_id = ${reviewSamples.id} AND u.outcome IS NULL)`.as("unreviewed"),
    })
    .from(reviewSamples)
    .where(eq(reviewSamples.id, sampleId))
    .limit(1);
}

export function itemVersionQuery(db: Db, sampleId: string, prescriptionId: string) {
  return db
    .select({ version: reviewItems.version })
    .from(reviewItems)
    .where(and(eq(reviewItems.sampleId, sampleId), eq(reviewItems.prescriptionId, prescriptionId)))
    .limit(1);
}

/** Closes an open sample whose every item is reviewed; the guard rolls back otherwise. */
export function closeSampleStatements(ctx: Ctx, sampleId: string) {
  return [
    ctx.db
      .update(reviewSamples)
      .set({ status: "closed", closedAt: ctx.now.toISOString(), closedBy: ctx.actor.sub, version: sql`${reviewSamples.version} + 1` })
      .where(
        and(
          eq(reviewSamples.id, sampleId),
          eq(reviewSamples.status, "open"),
          sql`NOT EXISTS (SELECT 1 FROM ${reviewItems} u WHERE u.sample_id = ${sampleId} AND u.outcome IS NULL)`,
        ),
      ),
    expectChanged(ctx.db),
  ] as const;
}

export interface FeedbackFilter {
  prescriberId?: string;
  month?: string;
  /** the first month shown when no month is asked for */
  sinceMonth: string;
  /** doctors see the results of closed samples only (a reviewer may still change an open one) */
  closedOnly: boolean;
  limit: number;
}

function feedbackWhere(f: FeedbackFilter): SQL | undefined {
  const where: SQL[] = [isNotNull(reviewItems.outcome)];
  if (f.prescriberId) where.push(eq(reviewItems.prescriberId, f.prescriberId));
  where.push(f.month ? eq(reviewItems.month, f.month) : gte(reviewItems.month, f.sinceMonth));
  if (f.closedOnly) where.push(eq(reviewSamples.status, "closed"));
  return and(...where);
}

/** The reviewed items of the filter, newest first; `limit + 1` rows tell whether more exist. */
export function feedbackItemsQuery(db: Db, f: FeedbackFilter) {
  return db
    .select({
      prescriptionId: reviewItems.prescriptionId,
      month: reviewItems.month,
      prescriberId: reviewItems.prescriberId,
      institutionId: reviewItems.institutionId,
      outcome: reviewItems.outcome,
      problems: reviewItems.problems,
      note: reviewItems.note,
      reviewedAt: reviewItems.reviewedAt,
      sampleStatus: sql<string>`${reviewSamples.status}`.as("sample_status"),
      signedAt: prescriptions.createdAt,
      content: prescriptions.content,
    })
    .from(reviewItems)
    .innerJoin(reviewSamples, eq(reviewSamples.id, reviewItems.sampleId))
    .innerJoin(prescriptions, eq(prescriptions.id, reviewItems.prescriptionId))
    .where(feedbackWhere(f))
    .orderBy(desc(reviewItems.month), desc(prescriptions.createdAt), asc(reviewItems.prescriptionId))
    .limit(f.limit + 1);
}

/** Per doctor: reviewed items by outcome, over the whole filter (not only the listed page). */
export function feedbackSummaryQuery(db: Db, f: FeedbackFilter) {
  return db
    .select({
      prescriberId: reviewItems.prescriberId,
      prescriberName: sql<string | null>`max(${practitioners.name})`.as("prescriber_name"),
      institutionId: sql<string>`max(${reviewItems.institutionId})`.as("institution_id"),
      institutionName: sql<string | null>`max(${institutions.name})`.as("institution_name"),
      reviewed: sql<number>`count(*)`.as("reviewed"),
      rational: sql<number>`sum(${reviewItems.outcome} = 'rational')`.as("rational"),
      nonStandard: sql<number>`sum(${reviewItems.outcome} = 'non_standard')`.as("non_standard"),
      inappropriate: sql<number>`sum(${reviewItems.outcome} = 'inappropriate')`.as("inappropriate"),
      abnormal: sql<number>`sum(${reviewItems.outcome} = 'abnormal')`.as("abnormal"),
    })
    .from(reviewItems)
    .innerJoin(reviewSamples, eq(reviewSamples.id, reviewItems.sampleId))
    .leftJoin(practitioners, eq(practitioners.id, reviewItems.prescriberId))
    .leftJoin(institutions, eq(institutions.id, reviewItems.institutionId))
    .where(feedbackWhere(f))
    .groupBy(reviewItems.prescriberId)
    .orderBy(asc(reviewItems.prescriberId));
}
