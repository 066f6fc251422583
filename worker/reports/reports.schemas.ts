import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES } from "../pharmacy/orders/order-state";
import { isCalendarDate } from "./report-range";

const ChinaDate = z
  .string()
  .refine(isCalendarDate, "a calendar date YYYY-MM-DD")
  .openapi({ description: "China date (UTC+8), inclusive", example: "2026-11-01" });

export const INSTITUTION_LEVELS = ["village", "primary", "secondary", "tertiary"] as const;
export const InstitutionLevel = z
  .enum(INSTITUTION_LEVELS)
  .openapi("InstitutionLevel", { description: "village: 村卫生室; primary: 乡镇卫生院 / 社区卫生服务中心; secondary: 县级医院; tertiary: 三级医院" });
export type InstitutionLevel = z.infer<typeof InstitutionLevel>;

export const RangeQuery = z.object({
  from: ChinaDate.optional().openapi({ description: "first day, China date; default: the first day of `to`'s month" }),
  to: ChinaDate.optional().openapi({ description: "last day (inclusive), China date; default: the last day of the current month" }),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month YYYY-MM")
    .optional()
    .openapi({ description: "a China month, YYYY-MM: shorthand for from = its first day, to = its last; not with from/to", example: "2026-11" }),
  level: InstitutionLevel.optional().openapi({ description: "only institutions of this level (by the prescribing institution; for orders, the order's institution)" }),
  institutionId: z.string().min(1).max(64).optional().openapi({ description: "only this institution; 404 when it is not a member" }),
});
export type RangeQuery = z.infer<typeof RangeQuery>;

export const GroupBy = z.enum(["institution", "month"]).openapi("ReportGroupBy", { description: "institution: the prescribing institution; month: China calendar month" });
export type GroupBy = z.infer<typeof GroupBy>;

export const GroupedQuery = RangeQuery.extend({ groupBy: GroupBy.default("institution") });

const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1).openapi({ description: "0..1; 0 when the denominator is 0 (see the counts)" });
const Hours = z.number().min(0).openapi({ description: "hours, 2 decimals; 0 when count is 0" });

const Period = {
  from: z.string(),
  to: z.string(),
};
const GroupKey = {
  key: z.string().openapi({ description: "institution id, or the month as YYYY-MM" }),
  label: z.string().openapi({ description: "institution name, or the month" }),
};

const ReviewCounts = z
  .object({
    sampled: Count.openapi({ description: "prescriptions drawn into the 处方点评 samples" }),
    reviewed: Count.openapi({ description: "sampled prescriptions with a result" }),
    rational: Count,
    non_standard: Count.openapi({ description: "不规范处方" }),
    inappropriate: Count.openapi({ description: "用药不适宜处方" }),
    abnormal: Count.openapi({ description: "超常处方" }),
    rate: Rate.openapi({ description: "点评合格率 = rational / reviewed, 0..1" }),
  })
  .openapi("ReviewCounts", {
    description:
      "处方点评 results (review_items) of the sample months the period touches (a sample covers a whole China month of signing), by the prescribing institution",
  });
export type ReviewCounts = z.infer<typeof ReviewCounts>;

const QualificationCounts = z.object({
  reviewed: Count,
  approved: Count,
  rejected: Count,
  rate: Rate.openapi({ description: "处方合格率 = approved / reviewed, 0..1" }),
  rejectedByCategory: z
    .object({ non_standard: Count, inappropriate: Count, abnormal: Count, unspecified: Count })
    .openapi({ description: "rejections by 处方点评 category (不规范 / 用药不适宜 / 超常); unspecified: no reason code recorded" }),
  review: ReviewCounts,
});
export type QualificationCounts = z.infer<typeof QualificationCounts>;

export const QualificationRateReport = z
  .object({
    ...Period,
    groupBy: GroupBy,
    total: QualificationCounts,
    groups: z.array(QualificationCounts.extend(GroupKey)),
    cells: z
      .array(QualificationCounts.extend({ month: z.string(), institutionId: z.string(), institutionName: z.string() }))
      .openapi({ description: "month × institution, only the pairs with a review decision or a 点评 sample" }),
  })
  .openapi("QualificationRateReport");
export type QualificationRateReport = z.infer<typeof QualificationRateReport>;

const LongPrescriptionCounts = z.object({
  signed: Count.openapi({ description: "prescriptions signed in the period, whatever became of them since" }),
  longTerm: Count,
  share: Rate.openapi({ description: "longTerm / signed, 0..1" }),
  longTermMeanDays: z.number().min(0).openapi({ description: "mean supply days of the long prescriptions, 2 decimals; 0 when there are none" }),
  longTermOver28Days: Count.openapi({ description: "long prescriptions beyond 4 weeks (strict assessment and patient confirmation)" }),
});
export type LongPrescriptionCounts = z.infer<typeof LongPrescriptionCounts>;

export const LongPrescriptionReport = z
  .object({
    ...Period,
    groupBy: GroupBy,
    total: LongPrescriptionCounts,
    groups: z.array(LongPrescriptionCounts.extend(GroupKey)),
  })
  .openapi("LongPrescriptionReport");
export type LongPrescriptionReport = z.infer<typeof LongPrescriptionReport>;

const ByStatus = z.object(Object.fromEntries(ORDER_STATUSES.map((s) => [s, Count])) as Record<(typeof ORDER_STATUSES)[number], typeof Count>);
export type ByStatus = z.infer<typeof ByStatus>;

const StateCounts = z.object({ total: Count, byStatus: ByStatus });

export const OrdersByStateReport = z
  .object({
    ...Period,
    total: StateCounts,
    pharmacies: z.array(StateCounts.extend({ pharmacyId: z.string(), pharmacyName: z.string() })),
  })
  .openapi("OrdersByStateReport");
export type OrdersByStateReport = z.infer<typeof OrdersByStateReport>;

const DurationStats = z
  .object({
    count: Count,
    medianHours: Hours,
    p90Hours: Hours,
    meanHours: Hours,
  })
  .openapi("DurationStats", { description: "percentiles by linear interpolation between closest ranks (as PERCENTILE_CONT)" });
export type DurationStats = z.infer<typeof DurationStats>;

const TurnaroundStats = z.object({
  review: DurationStats.openapi({ description: "pending_review → approved | rejected, per order (instalment), dated by the decision" }),
  fulfilment: DurationStats.openapi({ description: "approved → picked_up | delivered, per order, dated by the hand-over" }),
});

export const TurnaroundReport = z
  .object({
    ...Period,
    groupBy: GroupBy,
    total: TurnaroundStats,
    groups: z.array(TurnaroundStats.extend(GroupKey)),
  })
  .openapi("TurnaroundReport");
export type TurnaroundReport = z.infer<typeof TurnaroundReport>;

export const OrderNotification = z
  .object({
    id: z.string(),
    orderId: z.string(),
    channel: z.enum(["sms", "wechat"]),
    template: z.string(),
    state: z.enum(["pending", "sent", "failed"]),
    params: z.record(z.string(), z.string()).openapi({ description: "as stored, the pickup code masked" }),
    preview: z.string().nullable().openapi({ description: "the message as the patient reads it, the pickup code masked; null for an unknown template" }),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi("OrderNotification");
export type OrderNotification = z.infer<typeof OrderNotification>;

export const OrderNotificationList = z.object({ items: z.array(OrderNotification) }).openapi("OrderNotificationList");
export type OrderNotificationList = z.infer<typeof OrderNotificationList>;

// --- WHO/INRUD core prescribing indicators ------------------------------------------------

export const INDICATORS = ["drugsPerPrescription", "antimicrobialShare", "injectionShare", "essentialShare", "genericShare", "vbpShare"] as const;
export type Indicator = (typeof INDICATORS)[number];

const Indicators = z.object({
  prescriptions: Count.openapi({ description: "encounters: prescriptions signed in the period and not cancelled" }),
  items: Count.openapi({ description: "drug items on them" }),
  drugsPerPrescription: z.number().min(0).openapi({ description: "mean drugs per prescription (items / prescriptions), 2 decimals" }),
  antimicrobialShare: Rate.openapi({ description: "% prescriptions with an antimicrobial (an entry with a 抗菌药物分级), 0..1" }),
  injectionShare: Rate.openapi({ description: "% prescriptions with an injection (route iv, im, sc or intradermal), 0..1" }),
  essentialShare: Rate.openapi({ description: "% items from the essential medicines list (entry `essential`), 0..1" }),
  genericShare: Rate.openapi({ description: "% items prescribed by generic name (see the route's description), 0..1" }),
  vbpShare: Rate.openapi({ description: "% items that are 集采 (national volume-based procurement, entry `vbp`), 0..1" }),
});
export type Indicators = z.infer<typeof Indicators>;

const Quartiles = z.object({ p25: z.number(), p50: z.number(), p75: z.number() });
export type Quartiles = z.infer<typeof Quartiles>;

const PeerStats = z
  .object({
    count: Count.openapi({ description: "peers with at least one prescription in the period (the percentiles are over them)" }),
    ...Object.fromEntries(INDICATORS.map((k) => [k, Quartiles])),
  })
  .openapi("PeerStats", { description: "p25 / p50 / p75 of each indicator across the peers, interpolated linearly between closest ranks; 0 when count is 0" });
export type PeerStats = { count: number } & Record<Indicator, Quartiles>;

export const PrescribingIndicatorsReport = z
  .object({
    from: z.string(),
    to: z.string(),
    level: InstitutionLevel.nullable(),
    institutionId: z.string().nullable(),
    total: Indicators.openapi({ description: "over the institutions asked for" }),
    institutions: z.array(
      Indicators.extend({ key: z.string(), label: z.string(), level: z.string() }).openapi({
        description: "every institution asked for, zero-filled; its peers are peers.institutionsByLevel[level]",
      }),
    ),
    doctors: z.array(
      Indicators.extend({ key: z.string(), label: z.string(), institutionId: z.string(), institutionName: z.string() }).openapi({
        description: "the doctors of those institutions with a prescription in the period, most prescriptions first",
      }),
    ),
    peers: z.object({
      institutionsByLevel: z.record(z.string(), PeerStats).openapi({ description: "per institution level: across that level's institutions in the consortium" }),
      doctors: PeerStats.openapi({ description: "across every doctor of the consortium" }),
    }),
  })
  .openapi("PrescribingIndicatorsReport");
export type PrescribingIndicatorsReport = z.infer<typeof PrescribingIndicatorsReport>;
