import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES } from "../pharmacy/orders/order-state";
import { isCalendarDate } from "./report-range";

const ChinaDate = z
  .string()
  .refine(isCalendarDate, "a calendar date YYYY-MM-DD")
  .openapi({ description: "China date (UTC+8), inclusive", example: "2026-11-01" });

export const RangeQuery = z.object({
  from: ChinaDate.optional().openapi({ description: "first day, China date; default: the first day of `to`'s month" }),
  to: ChinaDate.optional().openapi({ description: "last day (inclusive), China date; default: the last day of the current month" }),
});

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

const QualificationCounts = z.object({
  reviewed: Count,
  approved: Count,
  rejected: Count,
  rate: Rate.openapi({ description: "处方合格率 = approved / reviewed, 0..1" }),
  rejectedByCategory: z
    .object({ non_standard: Count, inappropriate: Count, abnormal: Count, unspecified: Count })
    .openapi({ description: "rejections by 处方点评 category (不规范 / 用药不适宜 / 超常); unspecified: no reason code recorded" }),
});
export type QualificationCounts = z.infer<typeof QualificationCounts>;

export const QualificationRateReport = z
  .object({
    ...Period,
    groupBy: GroupBy,
    total: QualificationCounts,
    groups: z.array(QualificationCounts.extend(GroupKey)),
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
