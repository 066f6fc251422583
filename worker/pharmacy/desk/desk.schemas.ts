import { z } from "@hono/zod-openapi";
import { PageMeta, PageQuery } from "../../http/pagination";
import { FindingSchema } from "../../signing/findings.schema";
import { SignedContentSummary } from "../../signing/signed-content";
import { Verification } from "../../signing/verification";
import { REVIEW_REASON_CODES } from "./desk.labels";
import { FULFILMENT_MODES } from "../../../schema/enums";
import { ORDER_STATUSES, type OrderStatus as OrderStatusValue, WORK_STATUSES } from "../orders/order-state";
import { isValidExpiry } from "./supply";

export const OrderStatus = z.enum(ORDER_STATUSES).openapi("OrderStatus");
export const ReviewReasonCode = z.enum(REVIEW_REASON_CODES).openapi("ReviewReasonCode", { description: "处方点评 category.reason (医院处方点评管理规范（试行）art. 17-19)" });

export const OrderIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

const STATUS_WORDS = { work: WORK_STATUSES, all: ORDER_STATUSES } as const;

function isOrderStatus(s: string): s is OrderStatusValue {
  return (ORDER_STATUSES as readonly string[]).includes(s);
}

/** `status=` as statuses: one, several comma separated, `work` (the desk's open work) or `all`. */
const StatusFilter = z
  .string()
  .max(300)
  .transform((raw, ctx): readonly OrderStatusValue[] => {
    const words = raw.split(",").map((w) => w.trim()).filter(Boolean);
    if (words.length === 1 && (words[0] === "work" || words[0] === "all")) return STATUS_WORDS[words[0]];
    const unknown = words.filter((w) => !isOrderStatus(w));
    if (words.length === 0 || unknown.length) {
      ctx.addIssue({ code: "custom", message: `unknown status ${unknown.join(", ") || "(empty)"}: use order statuses separated by commas, "work" or "all"` });
      return z.NEVER;
    }
    return [...new Set(words.filter(isOrderStatus))];
  })
  .openapi({
    type: "string",
    description: `one or several of ${ORDER_STATUSES.join(", ")} separated by commas; \`work\` (default: ${WORK_STATUSES.join(", ")}) or \`all\``,
    example: "pending_review,approved",
  });

const QueueFilterQuery = {
  siteId: z.string().min(1).max(64).optional().openapi({ description: "pickup orders of one pickup site" }),
  mode: z.enum(FULFILMENT_MODES).optional(),
  instalment: z.enum(["first", "later"]).optional().openapi({ description: "`first`: first (or only) instalments; `later`: the second and following" }),
  pharmacyId: z.string().min(1).max(64).optional().openapi({ description: "admins only; a pharmacist always sees their own pharmacy" }),
};

export const OrderListQuery = z.object({
  status: StatusFilter.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      description:
        "the patient at the window: a name or pinyin-initials prefix (zgl), the phone's last four digits or its first seven or more, or the order's id or reference",
    }),
  ...QueueFilterQuery,
  ...PageQuery,
});

export const OrderCountsQuery = z.object(QueueFilterQuery);

export const OrderCursor = z.object({ c: z.string(), i: z.string() });

const PickupSite = z.object({ id: z.string(), name: z.string(), address: z.string() });

export const DeskOrderItem = z
  .object({
    drugCode: z.string(),
    genericName: z.string(),
    packages: z.number().int().openapi({ description: "what this order supplies in all" }),
    supplied: z.number().int().openapi({ description: "handed over or delivered so far" }),
    dispensed: z.number().int().openapi({ description: "dispensed in the current round, not handed over yet" }),
    held: z.number().int().openapi({ description: "out of stock in the current round: supplied by a later dispensing round" }),
  })
  .openapi("DeskOrderItem");

export const DeskOrder = z
  .object({
    id: z.string(),
    prescriptionId: z.string(),
    pharmacyId: z.string(),
    patientId: z.string(),
    reference: z.string().openapi({ description: "the patient's code for the public status lookup" }),
    status: OrderStatus,
    mode: z.enum(FULFILMENT_MODES),
    instalment: z.number().int(),
    instalments: z.number().int(),
    supplyFrom: z.string(),
    days: z.number().int(),
    releaseOn: z.string(),
    pickupSiteId: z.string().nullable(),
    address: z.object({ region: z.string(), line: z.string(), phone: z.string() }).nullable(),
    items: z.array(DeskOrderItem),
    partial: z.boolean().openapi({ description: "something is held (out of stock) in the current round" }),
    dispenseRounds: z.number().int().openapi({ description: "dispensing rounds so far (a restock adds one)" }),
    carrier: z.string().nullable(),
    trackingNo: z.string().nullable(),
    rejectReason: z
      .string()
      .nullable()
      .openapi({ description: "a ReviewReasonCode when the desk rejected; an external pharmacy's callback reports its own code" }),
    rejectNote: z.string().nullable(),
    pickupAttempts: z.number().int().openapi({ description: "wrong pickup codes since the current code was issued" }),
    pickupAttemptsTotal: z.number().int().openapi({ description: "wrong pickup codes over the order's life: no reissue resets it" }),
    pickupCodeReissues: z.number().int().openapi({ description: "pickup codes reissued so far" }),
    pickupCodeValid: z.boolean().openapi({ description: "a pickup code is issued and not voided by too many wrong attempts" }),
    pendingSince: z.string().nullable().openapi({ description: "when it last entered pending_review" }),
    readyAt: z.string().nullable().openapi({ description: "when it last became ready for pickup" }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("DeskOrder");
export type DeskOrder = z.infer<typeof DeskOrder>;

const ReviewDue = {
  reviewDueAt: z
    .string()
    .nullable()
    .openapi({ description: "pending_review only: pendingSince + the consortium's review target (a target: review never passes by itself)" }),
  overdue: z.boolean().openapi({ description: "pending_review past reviewDueAt" }),
};

export const QueueOrder = DeskOrder.extend(ReviewDue)
  .extend({
    patientMaskedName: z
      .string()
      .nullable()
      .openapi({ description: "the patient's name masked as a 叫号屏 shows it (郑*梅); the whole name is on the order's audited page. null: no patient row" }),
  })
  .openapi("DeskQueueOrder");
export type QueueOrder = z.infer<typeof QueueOrder>;

export const OrderPage = z.object({ items: z.array(QueueOrder), ...PageMeta }).openapi("DeskOrderPage");

export const OrderCounts = z
  .object({
    byStatus: z.record(OrderStatus, z.number().int()).openapi({ description: "every status, 0 when none" }),
    groups: z
      .array(z.object({ status: OrderStatus, siteId: z.string().nullable(), mode: z.enum(FULFILMENT_MODES), count: z.number().int() }))
      .openapi({ description: "counts per status, pickup site and mode (for the site and mode filters' badges)" }),
  })
  .openapi("DeskOrderCounts");
export type OrderCounts = z.infer<typeof OrderCounts>;

export const OrderEvent = z
  .object({
    at: z.string(),
    fromStatus: OrderStatus.nullable(),
    toStatus: OrderStatus,
    actorId: z.string(),
    actorName: z.string().nullable().openapi({ description: "the doctor's or pharmacist's name, the external pharmacy's for its callbacks; null for the scheduler, an admin or a former member" }),
    actorRole: z.string(),
    source: z.enum(["desk", "callback", "system", "doctor"]),
    note: z.string().nullable(),
  })
  .openapi("OrderEvent");

export const Dispensation = z
  .object({
    round: z.number().int(),
    index: z.number().int().openapi({ description: "the item's index in items" }),
    drugCode: z.string(),
    packages: z.number().int(),
    lotNo: z.string(),
    expiry: z.string().openapi({ description: "YYYY-MM or YYYY-MM-DD as printed on the pack" }),
    at: z.string(),
    actorId: z.string(),
  })
  .openapi("Dispensation");

export const DeskOrderDetail = DeskOrder.extend({
  ...ReviewDue,
  pickupSite: PickupSite.nullable(),
  patient: z
    .object({
      id: z.string(),
      name: z.string(),
      gender: z.string(),
      birthDate: z.string(),
      age: z.string().openapi({ description: "at the prescription's writing, as the 处方笺 writes it: 68岁, 8月 or 20天 (处方管理办法 第六条)" }),
    })
    .nullable(),
  allergies: z.array(z.object({ substance: z.string(), atcPrefix: z.string().nullable(), reaction: z.string().nullable() })),
  activeSupply: z
    .array(
      z.object({
        prescriptionId: z.string(),
        thisPrescription: z.boolean(),
        drugCode: z.string(),
        genericName: z.string(),
        institutionId: z.string(),
        institutionName: z.string().nullable(),
        startDate: z.string(),
        endDate: z.string().openapi({ description: "first day no longer covered" }),
      }),
    )
    .openapi({ description: "the patient's supply lines still running today at any institution of the consortium (this prescription's included)" }),
  schedule: z
    .array(
      z.object({
        id: z.string(),
        current: z.boolean().openapi({ description: "this order" }),
        instalment: z.number().int(),
        status: OrderStatus,
        supplyFrom: z.string(),
        days: z.number().int(),
        releaseOn: z.string(),
      }),
    )
    .openapi({ description: "every instalment of the prescription" }),
  dispensations: z.array(Dispensation).openapi({ description: "lots dispensed, per round and item" }),
  prescription: z.object({
    id: z.string(),
    status: z.string(),
    kind: z.string(),
    writtenAt: z.string(),
    prescriberId: z.string(),
    prescriberName: z.string().nullable().openapi({ description: "the doctor's name on the members' table (null: no longer there)" }),
    institutionId: z.string(),
    institutionName: z.string().nullable(),
    days: z.number().int(),
    formularyVersion: z.number().int(),
    contentHash: z.string(),
    cancelReason: z.string().nullable(),
    verification: Verification,
    content: SignedContentSummary.nullable().openapi({ description: "null when the stored content cannot be read (then it does not verify either)" }),
  }),
  findings: z.array(FindingSchema).openapi({ description: "the rule warnings shown to the doctor at signing, stored with the prescription" }),
  timeline: z.array(OrderEvent),
}).openapi("DeskOrderDetail");
export type DeskOrderDetail = z.infer<typeof DeskOrderDetail>;

export const ReviewInput = z
  .object({
    decision: z.enum(["approve", "reject"]),
    reasonCode: ReviewReasonCode.optional(),
    note: z.string().trim().min(1).max(500).optional().openapi({ description: "for the doctor; no patient data beyond what the prescription holds" }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.decision === "reject" && !r.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "a rejection needs a 处方点评 reason code (GET /orders/review-reasons)" });
    if (r.decision === "approve" && r.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "an approval carries no reason code" });
  })
  .openapi("ReviewInput");
export type ReviewInput = z.infer<typeof ReviewInput>;

/** A lot number as printed on the pack: letters, digits and - / . (no spaces). */
const LotNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9\-/.]{0,39}$/, "1-40 letters, digits or - / . as printed on the pack");

const Expiry = z
  .string()
  .refine(isValidExpiry, "YYYY-MM or YYYY-MM-DD, a real date, as printed on the pack (有效期至)")
  .openapi({ example: "2027-05" });

export const DispenseLineInput = z
  .object({
    index: z.number().int().min(0).max(99).openapi({ description: "the item's index in the order's items" }),
    packages: z.number().int().min(0).max(9999).openapi({ description: "0: out of stock, held (as if the item were left out)" }),
    lotNo: LotNo.optional().openapi({ description: "required when packages > 0" }),
    expiry: Expiry.optional().openapi({ description: "required when packages > 0" }),
  })
  .strict()
  .superRefine((line, ctx) => {
    if (line.packages > 0 && !line.lotNo) ctx.addIssue({ code: "custom", path: ["lotNo"], message: "a dispensed item needs its lot number (批号)" });
    if (line.packages > 0 && !line.expiry) ctx.addIssue({ code: "custom", path: ["expiry"], message: "a dispensed item needs its expiry (有效期至)" });
  });

export const DispenseInput = z
  .object({
    items: z
      .array(DispenseLineInput)
      .min(1)
      .max(50)
      .openapi({ description: "per item and lot; several lines may name one item (several lots). An item left out, or with 0 packages, is held" }),
  })
  .strict()
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.items.forEach((line, i) => {
      if (!line.lotNo) return;
      const key = `${line.index}|${line.lotNo}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["items", i, "lotNo"], message: `lot ${line.lotNo} of item ${line.index} appears twice: give its packages once` });
      seen.add(key);
    });
  })
  .openapi("DispenseInput");
export type DispenseInput = z.infer<typeof DispenseInput>;

export const ReissueInput = z
  .object({ reason: z.string().trim().min(1).max(200).openapi({ description: "why the patient needs a new code (kept in the audit trail)" }) })
  .strict()
  .openapi("ReissuePickupCodeInput");

export const ShipInput = z
  .object({
    carrier: z.string().trim().min(1).max(50),
    trackingNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, "4-40 letters, digits or dashes"),
  })
  .strict()
  .openapi("ShipInput");

export const HandoverInput = z
  .object({ pickupCode: z.string().regex(/^\d{6}$/, "the 6-digit pickup code") })
  .strict()
  .openapi("HandoverInput");

export const CancelInput = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .openapi("DeskCancelInput");

export const ReviewReasonList = z
  .object({
    categories: z.array(
      z.object({
        code: z.enum(["non_standard", "inappropriate", "abnormal"]),
        label: z.string(),
        reasons: z.array(z.object({ code: ReviewReasonCode, label: z.string() })),
      }),
    ),
  })
  .openapi("ReviewReasonList");
