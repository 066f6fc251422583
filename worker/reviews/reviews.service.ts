import { parseIfMatchVersion } from "../http/if-match";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { commitGuarded, isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { chinaDate } from "../lib/clock";
import { newId } from "../lib/ids";
import { expectRegistered } from "../members/members.repo";
import { ageOn } from "../members/patient-view";
import { settingQuery } from "../settings/settings.repo";
import { readSettings } from "../settings/settings.schemas";
import { FindingSchema } from "../signing/findings.schema";
import { readSignedContent } from "../signing/signed-content";
import {
  auditSamplePatients,
  closeSampleStatements,
  feedbackItemsQuery,
  feedbackSummaryQuery,
  institutionsQuery,
  insertSampleStatements,
  itemVersionQuery,
  monthSamplesQuery,
  populationQuery,
  reviewItemStatements,
  type SampleRow,
  sampleItemsQuery,
  sampleListQuery,
  sampleQuery,
  sampleStatusQuery,
} from "./reviews.repo";
import type { DoctorSummary, FeedbackItem, ItemReview, SampleItem, SampleSummary } from "./reviews.schemas";
import { drawSample, newSeed, sampleSizeFor } from "./sampler";
import { normaliseProblems, outcomeOf, standardItem, suggestedItems } from "./standard-items";

/*
 * 处方点评 (医院处方点评管理规范（试行）2010). Admins act as the consortium's 药事 office: each
 * month they draw a random sample of every institution's prescriptions of the month before,
 * review each against the standard items (the engine's stored findings suggest some), and
 * close the sample; the rate (rational ÷ reviewed) feeds the 处方合格率 report. Doctors read
 * the results of their own prescriptions once a sample is closed.
 *
 * Decisions:
 * - only months that are over (China time) can be drawn: the population of a running month
 *   is not final, and 第十二条 samples each month's prescriptions;
 * - the population is the institution's prescriptions signed in the month (China time) and
 *   still signed or completed: cancelled ones were never dispensed, replaced ones live on
 *   as their replacement (which is itself in the population of its own month);
 * - size: max(reviewSampleSize, ⌈population ÷ 1000⌉), at most the population (第十二条: not
 *   under 1‰ and not under 100 a month).
 */

type SampleSummaryRow = Awaited<ReturnType<typeof sampleQuery>>[number];

function toSummary(row: SampleSummaryRow): SampleSummary {
  const s = row.sample;
  return {
    id: s.id,
    month: s.month,
    institutionId: s.institutionId,
    institutionName: row.institutionName ?? s.institutionId,
    size: s.size,
    population: s.population,
    drawn: row.drawn,
    reviewed: row.reviewed,
    rational: row.rational,
    rate: rateOf(row.rational, row.reviewed),
    seed: s.seed,
    status: s.status,
    drawnAt: s.drawnAt,
    drawnBy: s.drawnBy,
    closedAt: s.closedAt,
    closedBy: s.closedBy,
    version: s.version,
  };
}

function rateOf(rational: number, reviewed: number): number | null {
  return reviewed === 0 ? null : Math.round((rational / reviewed) * 10_000) / 10_000;
}

const notFound = (id: string) => new ApiError("not-found", `no review sample ${id}`);

export interface DrawRequest {
  month: string;
  institutionId?: string;
}

/**
 * Draws the samples of a month: one institution (409 when it has one, 422 when it signed
 * nothing that month) or every institution still without one (the others are listed as
 * skipped). Two round trips: the reads (setting, institutions, existing samples,
 * population) and ONE guarded batch with every sample, its items and audit rows; a sample
 * drawn meanwhile by someone else, or a prescription cancelled meanwhile, rolls it all back (409).
 */
export async function drawSamples(ctx: Ctx, req: DrawRequest): Promise<{ samples: SampleSummary[]; skipped: { institutionId: string; reason: "already_drawn" | "no_prescriptions" }[] }> {
  const currentMonth = chinaDate(ctx.now).slice(0, 7);
  if (req.month >= currentMonth) {
    throw new ApiError("unprocessable", `${req.month} is not over yet (China time); a sample is drawn from a finished month, at the earliest on the 1st of the next one`);
  }
  const [settingRows, institutionRows, existingRows, population] = await ctx.db.batch([
    settingQuery(ctx.db, "reviewSampleSize"),
    institutionsQuery(ctx.db),
    monthSamplesQuery(ctx.db, req.month),
    populationQuery(ctx.db, req.month, req.institutionId),
  ]);
  const setting = readSettings(settingRows).reviewSampleSize;
  const names = new Map(institutionRows.map((i) => [i.id, i.name]));
  const existing = new Set(existingRows.map((r) => r.institutionId));
  if (req.institutionId !== undefined) {
    if (!names.has(req.institutionId)) throw new ApiError("not-found", `no institution ${req.institutionId}`);
    if (existing.has(req.institutionId)) throw new ApiError("already-exists", `${req.month} already has a sample for ${req.institutionId}`);
    if (population.length === 0) throw new ApiError("unprocessable", `${req.institutionId} signed no prescription in ${req.month}; there is nothing to sample`);
  }
  const byInstitution = new Map<string, string[]>();
  for (const p of population) {
    const ids = byInstitution.get(p.institutionId);
    if (ids) ids.push(p.id);
    else byInstitution.set(p.institutionId, [p.id]);
  }

  const targets = req.institutionId !== undefined ? [req.institutionId] : [...names.keys()];
  const skipped: { institutionId: string; reason: "already_drawn" | "no_prescriptions" }[] = [];
  const drawn: { row: SampleRow; ids: string[] }[] = [];
  for (const institutionId of targets) {
    const ids = byInstitution.get(institutionId) ?? [];
    if (existing.has(institutionId)) skipped.push({ institutionId, reason: "already_drawn" });
    else if (ids.length === 0) skipped.push({ institutionId, reason: "no_prescriptions" });
    else {
      const size = sampleSizeFor(setting, ids.length);
      const seed = newSeed();
      const row: SampleRow = {
        id: newId("rvs", ctx.now),
        month: req.month,
        institutionId,
        size: size.asked,
        population: ids.length,
        seed,
        status: "open",
        drawnAt: ctx.now.toISOString(),
        drawnBy: ctx.actor.sub,
        closedAt: null,
        closedBy: null,
        version: 1,
      };
      drawn.push({ row, ids: drawSample(ids, size.drawn, seed) });
    }
  }
  const [first, ...rest] = drawn;
  if (!first) return { samples: [], skipped };
  const auditOf = ({ row, ids }: { row: SampleRow; ids: string[] }) =>
    auditStatement(ctx, {
      action: "review.sample.draw",
      entityType: "review_sample",
      entityId: row.id,
      after: { month: row.month, institutionId: row.institutionId, size: row.size, population: row.population, drawn: ids.length, seed: row.seed },
    });
  await commitGuarded(
    ctx.db,
    [
      auditOf(first),
      ...insertSampleStatements(ctx.db, first.row, first.ids),
      ...rest.flatMap((d) => [auditOf(d), ...insertSampleStatements(ctx.db, d.row, d.ids)]),
    ],
    `a sample of ${req.month} was drawn, or one of its prescriptions cancelled, meanwhile; list the samples and draw again`,
  );
  const samples = drawn.map(({ row, ids }) => toSummary({ sample: row, institutionName: names.get(row.institutionId) ?? null, drawn: ids.length, reviewed: 0, rational: 0 }));
  return { samples, skipped };
}

export async function listSamples(ctx: Pick<Ctx, "db">, filter: { month?: string; institutionId?: string }): Promise<SampleSummary[]> {
  return (await sampleListQuery(ctx.db, filter)).map(toSummary);
}

const Findings = z.array(FindingSchema);

/**
 * A sample with every prescription, the patient's age and sex, the engine's stored
 * findings and the items they suggest. ONE round trip: the audit rows (one per patient
 * shown, by id) are written in the batch that reads them.
 */
export async function getSample(ctx: Ctx, id: string): Promise<SampleSummary & { items: SampleItem[] }> {
  const [, found, rows] = await ctx.db.batch([auditSamplePatients(ctx, id), sampleQuery(ctx.db, id), sampleItemsQuery(ctx.db, id)]);
  const head = found[0];
  if (!head) throw notFound(id);
  const today = chinaDate(ctx.now);
  const items = rows.map((r): SampleItem => {
    const findings = Findings.safeParse(r.findings).data ?? [];
    return {
      prescriptionId: r.prescriptionId,
      outcome: r.outcome,
      problems: normaliseProblems(r.problems),
      note: r.note,
      reviewerId: r.reviewerId,
      reviewedAt: r.reviewedAt,
      version: r.version,
      prescriberId: r.prescriberId,
      prescriberName: r.prescriberName ?? r.prescriberId,
      kind: r.kind,
      status: r.rxStatus,
      signedAt: r.signedAt,
      days: r.days,
      patient: { id: r.patientId, gender: r.gender ?? "unknown", age: r.birthDate ? ageOn(r.birthDate, today) : 0 },
      content: readSignedContent(r.content),
      findings,
      suggested: suggestedItems(findings),
    };
  });
  return { ...toSummary(head), items };
}

/** If-Match: the item's version (its `version` field). */
export const parseItemIfMatch = (header: string | undefined) => parseIfMatchVersion(header, { version: "the item's version (its `version` field)", example: "1" });

/**
 * Records the review of one sampled prescription: the problems found (standard item
 * codes), the outcome they make, the reviewer and the time. One round trip when it
 * succeeds; a refused write reads once more to say why (404, 409 closed, 412 stale).
 */
export async function reviewItem(
  ctx: Ctx,
  sampleId: string,
  prescriptionId: string,
  expectedVersion: number,
  input: { problems: string[]; note?: string | undefined },
): Promise<ItemReview> {
  const problems = normaliseProblems(input.problems);
  const outcome = outcomeOf(problems);
  const note = input.note ? input.note : null;
  try {
    await ctx.db.batch(reviewItemStatements(ctx, { sampleId, prescriptionId, expectedVersion, outcome, problems, note }));
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    const [state, item] = await ctx.db.batch([sampleStatusQuery(ctx.db, sampleId), itemVersionQuery(ctx.db, sampleId, prescriptionId)]);
    if (!state[0]) throw notFound(sampleId);
    if (!item[0]) throw new ApiError("not-found", `prescription ${prescriptionId} is not in sample ${sampleId}`);
    if (state[0].status === "closed") throw new ApiError("conflict", `sample ${sampleId} is closed; its reviews no longer change`);
    throw new ApiError("precondition-failed", `the review of ${prescriptionId} is at version ${item[0].version}, not ${expectedVersion}; reload it`);
  }
  return { prescriptionId, outcome, problems, note, reviewerId: ctx.actor.sub, reviewedAt: ctx.now.toISOString(), version: expectedVersion + 1 };
}

/** Closes a sample once every item is reviewed (422 with the count otherwise, 409 when already closed). One round trip when it succeeds. */
export async function closeSample(ctx: Ctx, id: string): Promise<SampleSummary> {
  try {
    const [, , , found] = await ctx.db.batch([
      ...closeSampleStatements(ctx, id),
      auditStatement(ctx, { action: "review.sample.close", entityType: "review_sample", entityId: id, after: { status: "closed" } }),
      sampleQuery(ctx.db, id),
    ]);
    const head = found[0];
    if (!head) throw notFound(id);
    return toSummary(head);
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    const [state] = await sampleStatusQuery(ctx.db, id);
    if (!state) throw notFound(id);
    if (state.status === "closed") throw new ApiError("conflict", `sample ${id} is already closed`);
    throw new ApiError("unprocessable", `${state.unreviewed} prescription(s) of sample ${id} are not reviewed yet; review every one before closing`);
  }
}

/** Feedback lists show at most this many items (the per-doctor summaries always cover the whole filter). */
const FEEDBACK_LIMIT = 500;

function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/**
 * Per-doctor feedback: the reviewed items with their problems in Chinese and the note, and
 * each doctor's rate. A doctor reads only their own (another prescriberId: 403), and only
 * closed samples' results; an admin reads anyone's, open samples included. One round trip.
 */
export async function feedback(
  ctx: Ctx,
  query: { prescriberId?: string | undefined; month?: string | undefined },
): Promise<{ doctors: DoctorSummary[]; items: FeedbackItem[]; truncated: boolean }> {
  const isDoctor = ctx.actor.role === "doctor";
  if (isDoctor && query.prescriberId !== undefined && query.prescriberId !== ctx.actor.sub) {
    throw new ApiError("forbidden", "a doctor reads the review feedback of their own prescriptions only");
  }
  const prescriberId = isDoctor ? ctx.actor.sub : query.prescriberId;
  const filter = {
    ...(prescriberId !== undefined ? { prescriberId } : {}),
    ...(query.month !== undefined ? { month: query.month } : {}),
    sinceMonth: monthsBefore(chinaDate(ctx.now).slice(0, 7), 12),
    closedOnly: isDoctor,
    limit: FEEDBACK_LIMIT,
  };
  const reads = [feedbackSummaryQuery(ctx.db, filter), feedbackItemsQuery(ctx.db, filter)] as const;
  const [summaries, rows] = isDoctor
    ? await ctx.db.batch([expectRegistered(ctx.db, ctx.actor), ...reads]).then(([, s, r]) => [s, r] as const, rethrowNotRegistered)
    : await ctx.db.batch(reads);
  const items = rows.slice(0, FEEDBACK_LIMIT).map((r): FeedbackItem => {
    const content = readSignedContent(r.content);
    return {
      prescriptionId: r.prescriptionId,
      month: r.month,
      prescriberId: r.prescriberId,
      institutionId: r.institutionId,
      signedAt: r.signedAt,
      outcome: r.outcome ?? "rational",
      problems: normaliseProblems(r.problems).flatMap((code) => {
        const item = standardItem(code);
        return item ? [{ code, label: item.label, category: item.category }] : [];
      }),
      note: r.note,
      reviewedAt: r.reviewedAt,
      sampleClosed: r.sampleStatus === "closed",
      diagnoses: content?.diagnoses.map((d) => d.name ?? d.icd10) ?? [],
      drugs: content?.items.map((i) => i.genericName ?? i.drugCode) ?? [],
    };
  });
  const doctors = summaries.map(
    (s): DoctorSummary => ({
      prescriberId: s.prescriberId,
      prescriberName: s.prescriberName ?? s.prescriberId,
      institutionId: s.institutionId,
      institutionName: s.institutionName ?? s.institutionId,
      reviewed: s.reviewed,
      rational: s.rational,
      nonStandard: s.nonStandard,
      inappropriate: s.inappropriate,
      abnormal: s.abnormal,
      rate: rateOf(s.rational, s.reviewed),
    }),
  );
  return { doctors, items, truncated: rows.length > FEEDBACK_LIMIT };
}

function rethrowNotRegistered(err: unknown): never {
  if (isGuardFailure(err)) throw new ApiError("forbidden", "not a registered practitioner of the institution in the token");
  throw err;
}
