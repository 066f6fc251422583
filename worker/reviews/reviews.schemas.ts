import { z } from "@hono/zod-openapi";
import { MemberId } from "../members/members.schemas";
import { SignedContentSummary } from "../signing/signed-content";
import { FindingSchema } from "../signing/findings.schema";
import { STANDARD_ITEM_CODES } from "./standard-items";

export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM")
  .openapi({ description: "a China month (UTC+8), YYYY-MM", example: "2026-11" });

export const ItemCode = z.enum(STANDARD_ITEM_CODES).openapi("ReviewItemCode", {
  description: "a standard item of 医院处方点评管理规范: ns-01..ns-15 不规范处方, ia-01..ia-09 用药不适宜处方, ab-01..ab-04 超常处方 (GET /reviews/items)",
});
export const Outcome = z.enum(["rational", "non_standard", "inappropriate", "abnormal"]).openapi("ReviewOutcome", {
  description: "rational: 合理处方; otherwise the gravest category among the problems: non_standard 不规范 < inappropriate 用药不适宜 < abnormal 超常",
});
const Category = z.enum(["non_standard", "inappropriate", "abnormal"]);
const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1).nullable().openapi({ description: "rational ÷ reviewed, 0..1; null while nothing is reviewed" });

export const StandardItemView = z.object({ code: ItemCode, category: Category, label: z.string() }).openapi("ReviewStandardItem");
export const StandardItemList = z.object({
  items: z.array(StandardItemView),
  ruleSuggestions: z.record(z.string(), z.array(ItemCode)).openapi({ description: "engine rule id → the items its finding suggests" }),
});

export const DrawInput = z
  .object({
    month: Month,
    institutionId: MemberId.optional().openapi({ description: "one institution; absent: every member institution with prescriptions that month and no sample yet" }),
  })
  .strict()
  .openapi("ReviewDrawInput");

export const SampleSummary = z
  .object({
    id: z.string(),
    month: z.string(),
    institutionId: z.string(),
    institutionName: z.string(),
    size: Count.openapi({ description: "asked for: max(reviewSampleSize, ⌈population ÷ 1000⌉)" }),
    population: Count.openapi({ description: "signed prescriptions of the institution in the month (cancelled and replaced ones excluded)" }),
    drawn: Count.openapi({ description: "prescriptions in the sample: min(size, population)" }),
    reviewed: Count,
    rational: Count,
    rate: Rate,
    seed: z.string().openapi({ description: "the PRNG seed; sampler.ts drawSample(population ids, drawn, seed) re-draws the sample" }),
    status: z.enum(["open", "closed"]),
    drawnAt: z.string(),
    drawnBy: z.string(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    version: z.number().int(),
  })
  .openapi("ReviewSample");
export type SampleSummary = z.infer<typeof SampleSummary>;

export const DrawResult = z
  .object({
    samples: z.array(SampleSummary),
    skipped: z.array(z.object({ institutionId: z.string(), reason: z.enum(["already_drawn", "no_prescriptions"]) })),
  })
  .openapi("ReviewDrawResult");

export const SampleListQuery = z.object({
  month: Month.optional(),
  institutionId: MemberId.optional(),
});

export const ItemReview = z
  .object({
    prescriptionId: z.string(),
    outcome: Outcome.nullable().openapi({ description: "null until reviewed" }),
    problems: z.array(ItemCode),
    note: z.string().nullable(),
    reviewerId: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    version: z.number().int().openapi({ description: "If-Match of PUT …/items/{prescriptionId}" }),
  })
  .openapi("ReviewItemResult");
export type ItemReview = z.infer<typeof ItemReview>;

export const SampleItem = ItemReview.extend({
  prescriberId: z.string(),
  prescriberName: z.string(),
  kind: z.enum(["normal", "emergency", "long_term"]),
  status: z.string(),
  signedAt: z.string(),
  days: z.number().int(),
  patient: z.object({ id: z.string(), gender: z.string().openapi({ description: "male | female" }), age: z.number().int() }),
  content: SignedContentSummary.nullable(),
  findings: z.array(FindingSchema).openapi({ description: "the engine's warnings stored at signing" }),
  suggested: z.array(ItemCode).openapi({ description: "the standard items the findings suggest (pre-ticked for the reviewer)" }),
}).openapi("ReviewSampleItem");
export type SampleItem = z.infer<typeof SampleItem>;

export const SampleDetail = SampleSummary.extend({ items: z.array(SampleItem) }).openapi("ReviewSampleDetail");

export const ReviewInput = z
  .object({
    problems: z.array(ItemCode).max(28),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .openapi("ReviewInput");

export const SampleIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });
export const ItemParams = SampleIdParam.extend({
  prescriptionId: z.string().min(1).max(64).openapi({ param: { name: "prescriptionId", in: "path" } }),
});

export const FeedbackQuery = z.object({
  prescriberId: MemberId.optional().openapi({ description: "a doctor: only themself (the default); an admin: anyone, or every doctor when absent" }),
  month: Month.optional().openapi({ description: "only this month; absent: the last 12 months' reviews" }),
});

export const FeedbackItem = z
  .object({
    prescriptionId: z.string(),
    month: z.string(),
    prescriberId: z.string(),
    institutionId: z.string(),
    signedAt: z.string(),
    outcome: Outcome,
    problems: z.array(z.object({ code: ItemCode, label: z.string(), category: Category })),
    note: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    sampleClosed: z.boolean(),
    diagnoses: z.array(z.string()),
    drugs: z.array(z.string()),
  })
  .openapi("ReviewFeedbackItem");
export type FeedbackItem = z.infer<typeof FeedbackItem>;

export const DoctorSummary = z
  .object({
    prescriberId: z.string(),
    prescriberName: z.string(),
    institutionId: z.string(),
    institutionName: z.string(),
    reviewed: Count,
    rational: Count,
    nonStandard: Count,
    inappropriate: Count,
    abnormal: Count,
    rate: Rate,
  })
  .openapi("ReviewDoctorSummary");
export type DoctorSummary = z.infer<typeof DoctorSummary>;

export const FeedbackList = z
  .object({ doctors: z.array(DoctorSummary), items: z.array(FeedbackItem), truncated: z.boolean().openapi({ description: "more items than the 500 listed" }) })
  .openapi("ReviewFeedback");
