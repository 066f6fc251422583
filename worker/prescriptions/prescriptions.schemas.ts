import { z } from "@hono/zod-openapi";
import { DrugCode, IsoDate, Route } from "../formulary/formulary.schemas";
import { FindingSchema } from "../signing/findings.schema";
import { Verification } from "../signing/verification";
import { ChangeRequest } from "../pharmacy/fulfilment";
import { PRESCRIPTION_STATUSES } from "../../schema/enums";

export { FindingSchema };

const Icd10 = z.string().trim().regex(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, "an ICD-10 code such as I10 or E11.9");
const WrittenAt = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), "an ISO date or date-time");

export const Frequency = z.enum(["qd", "bid", "tid", "qid", "qn", "qw", "prn"]);

export const DraftItem = z
  .object({
    drugCode: DrugCode,
    dose: z.object({ value: z.number().positive().finite().max(1e6), unit: z.string().trim().min(1).max(8) }),
    frequency: Frequency,
    route: Route.optional(),
    days: z.number().int().min(1).max(366),
    packages: z.number().int().min(1).max(9999),
  })
  .strict();

export const Address = z.object({
  region: z.string().trim().min(1).max(100),
  line: z.string().trim().min(1).max(200),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/, "a phone number"),
});

export const Fulfilment = z
  .object({
    mode: z.enum(["delivery", "pickup"]),
    pickupSiteId: z.string().min(1).max(64).optional(),
    address: Address.optional(),
    instalments: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.mode === "pickup" && !f.pickupSiteId) ctx.addIssue({ code: "custom", path: ["pickupSiteId"], message: "pickup needs a pickupSiteId" });
    if (f.mode === "delivery" && !f.address) ctx.addIssue({ code: "custom", path: ["address"], message: "delivery needs an address" });
  });

export const Draft = z
  .object({
    patientId: z.string().min(1).max(64),
    kind: z.enum(["normal", "emergency", "long_term"]),
    writtenAt: WrittenAt.optional().openapi({ description: "defaults to now; signing requires today's date (China time)" }),
    diagnoses: z.array(z.object({ icd10: Icd10, name: z.string().max(100).optional() }).strict()).max(10),
    items: z.array(DraftItem).min(1).max(20),
    extendedReason: z.string().trim().max(500).optional(),
    longTerm: z.object({ firstIssue: z.boolean(), assessment: z.string().trim().max(2000), patientConfirmed: z.boolean() }).strict().optional(),
    fulfilment: Fulfilment,
    replaces: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({
        description:
          "the prescription this one replaces: the same patient's, of the same institution, rejected/returned/expired with nothing supplied, or cancelled, and not replaced yet " +
          "(GET /prescriptions/{id}/draft says when). Signing marks it replaced, cancels its open orders and marks its inbox notices done.",
      }),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.kind === "long_term" && !d.longTerm) {
      ctx.addIssue({ code: "custom", path: ["longTerm"], message: "a long prescription states firstIssue, assessment and patientConfirmed" });
    }
    if (d.kind !== "long_term" && (d.fulfilment.instalments ?? 1) > 1) {
      ctx.addIssue({ code: "custom", path: ["fulfilment", "instalments"], message: "only a long prescription is supplied in instalments" });
    }
  })
  .openapi("PrescriptionDraft");
export type Draft = z.infer<typeof Draft>;

export const ValidationResponse = z
  .object({
    valid: z.boolean(),
    findings: z.array(FindingSchema),
    formularyVersion: z.number().int(),
    totals: z.object({ days: z.number().int(), packagesByItem: z.array(z.number().int().nullable()) }),
  })
  .openapi("ValidationResult");

export const Prescription = z
  .object({
    id: z.string(),
    status: z.enum(PRESCRIPTION_STATUSES).openapi({ description: "replaced: an accepted change request signed its successor (replacedBy)" }),
    patientId: z.string(),
    prescriberId: z.string(),
    institutionId: z.string(),
    kind: z.enum(["normal", "emergency", "long_term"]),
    writtenAt: z.string(),
    days: z.number().int(),
    formularyVersion: z.number().int(),
    contentHash: z.string(),
    signature: z.string(),
    signatureKeyId: z.string(),
    content: z.record(z.string(), z.unknown()).openapi({ description: "the frozen, signed content (canonical JSON)" }),
    findings: z.array(FindingSchema).openapi({ description: "warnings shown at signing" }),
    createdAt: z.string(),
    cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    replaces: z.string().nullable().openapi({ description: "the prescription this one replaced (an accepted change request)" }),
    replacedBy: z.string().nullable().openapi({ description: "the prescription that replaced this one; its open orders moved there" }),
    verification: Verification.optional(),
    orders: z
      .array(
        z.object({
          id: z.string(),
          pharmacyId: z.string(),
          status: z.string(),
          instalment: z.number().int(),
          instalments: z.number().int(),
          supplyFrom: z.string(),
          days: z.number().int(),
          releaseOn: z.string(),
          mode: z.string(),
          reference: z.string(),
          rejectReason: z.string().nullable().optional(),
          rejectNote: z.string().nullable().optional(),
        }),
      )
      .optional(),
    changeRequests: z
      .array(ChangeRequest)
      .optional()
      .openapi({ description: "the pharmacies' change requests to it (a pharmacist sees their own pharmacy's), and the accepted one that created it" }),
  })
  .openapi("Prescription");
export type Prescription = z.infer<typeof Prescription>;

export { IsoDate };

const Quantity = z.object({ value: z.number(), unit: z.string() });

/** What the A5 处方笺 shows (处方管理办法: 前记, 正文 Rp, 后记), and the QR payload that vouches for it offline. */
export const PrintedPrescription = z
  .object({
    id: z.string(),
    kind: z.enum(["normal", "emergency", "long_term"]),
    status: z.enum(PRESCRIPTION_STATUSES),
    writtenAt: z.string(),
    institution: z.object({ id: z.string(), name: z.string(), level: z.string() }),
    patient: z.object({
      id: z.string(),
      name: z.string(),
      gender: z.enum(["male", "female"]),
      age: z.string().openapi({ description: "age on the day written (China date): 68岁, 8月 under a year, 20天 under a month" }),
    }),
    prescriber: z.object({ id: z.string(), name: z.string(), title: z.string() }),
    diagnoses: z.array(z.object({ icd10: z.string(), name: z.string().optional() })),
    items: z.array(
      z.object({
        drugCode: z.string(),
        genericName: z.string().nullable(),
        form: z.string().nullable(),
        strength: Quantity.nullable(),
        pack: z.object({ size: z.number(), unit: z.string() }).nullable(),
        dose: Quantity,
        frequency: z.string(),
        route: z.string().nullable(),
        days: z.number().int(),
        packages: z.number().int(),
      }),
    ),
    longTerm: z.object({ firstIssue: z.boolean(), assessment: z.string(), patientConfirmed: z.boolean() }).nullable(),
    extendedReason: z.string().nullable(),
    formularyVersion: z.number().int(),
    contentHash: z.string(),
    qr: z.string().openapi({ description: "YL1.<base64url JSON>.<kid>.<base64url Ed25519 signature>: verifiable offline against GET /prescription-signing-keys (worker/signing/qr-payload.ts)" }),
  })
  .openapi("PrintedPrescription");
export type PrintedPrescription = z.infer<typeof PrintedPrescription>;

/** The prescription a re-draft starts from (a renewal's last long prescription, a rejected prescription to fix). */
export const BasedOn = z
  .object({
    prescriptionId: z.string().nullable().openapi({ description: "null unless the caller may see that prescription (own institution, or admin)" }),
    writtenAt: z.string(),
    institutionId: z.string(),
    institutionName: z.string(),
    prescriberName: z.string(),
    days: z.number().int(),
    endDate: IsoDate.openapi({ description: "first day its planned supply no longer covers: the day written (China date) + days" }),
  })
  .openapi("BasedOn");
export type BasedOn = z.infer<typeof BasedOn>;

export const Redraft = z
  .object({
    basedOn: BasedOn,
    draft: Draft.openapi({ description: "for today: no writtenAt; edit, validate and sign it with POST /prescriptions (own Idempotency-Key)" }),
    validation: ValidationResponse.openapi({ description: "the draft checked against today's formulary version and rules" }),
  })
  .openapi("Redraft");
export type Redraft = z.infer<typeof Redraft>;

export const RenewalQuery = z.object({
  icd10: z
    .string()
    .regex(/^[A-Za-z][0-9]{2}(\.?[0-9A-Za-z]{1,4})?$/, "an ICD-10 code such as I10 or E11.9")
    .optional()
    .openapi({ description: "renew the last long prescription for this condition (same ICD-10 category), not the patient's most recent one", example: "I10" }),
});

export const PrescriptionListQuery = z.object({
  scope: z.enum(["mine", "institution"]).default("mine").openapi({ description: "doctors: `mine` (written by me, the default) or `institution` (my institution's); admins always see every institution's" }),
  status: z
    .string()
    .max(100)
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      const parts = s.split(",").map((p) => p.trim());
      const statuses = z.array(z.enum(PRESCRIPTION_STATUSES)).safeParse(parts);
      if (!statuses.success) {
        ctx.addIssue({ code: "custom", message: `comma-separated statuses of ${PRESCRIPTION_STATUSES.join(", ")}` });
        return z.NEVER;
      }
      return statuses.data;
    })
    .openapi({ type: "string", description: `comma-separated: ${PRESCRIPTION_STATUSES.join(", ")}` }),
  patientId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "1..100" }),
  cursor: z.string().max(512).optional().openapi({ description: "opaque cursor from the previous page's nextCursor" }),
});

export const PrescriptionListCursor = z.object({ c: z.string(), i: z.string() });

export const PrescriptionListItem = z
  .object({
    id: z.string(),
    patientId: z.string(),
    patientName: z.string(),
    kind: z.enum(["normal", "emergency", "long_term"]),
    writtenAt: z.string(),
    days: z.number().int(),
    status: z.enum(PRESCRIPTION_STATUSES),
    replaces: z.string().nullable(),
    replacedBy: z.string().nullable(),
    items: z.array(z.object({ drugCode: z.string(), genericName: z.string(), packages: z.number().int() })),
    orders: z.array(
      z.object({
        id: z.string(),
        pharmacyId: z.string(),
        pharmacyName: z.string(),
        status: z.string(),
        instalment: z.number().int(),
        instalments: z.number().int(),
        releaseOn: z.string(),
        supplyFrom: z.string(),
        mode: z.string(),
        reference: z.string(),
        rejectReason: z.string().nullable(),
        rejectNote: z.string().nullable(),
      }),
    ),
  })
  .openapi("PrescriptionListItem");
export type PrescriptionListItem = z.infer<typeof PrescriptionListItem>;

export const PrescriptionPage = z.object({ items: z.array(PrescriptionListItem), nextCursor: z.string().nullable() }).openapi("PrescriptionPage");
