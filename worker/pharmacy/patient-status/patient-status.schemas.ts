import { z } from "@hono/zod-openapi";
import { FULFILMENT_MODES } from "../../../schema/enums";
import { OrderStatus } from "../desk/desk.schemas";

/**
 * The order reference as the patient reads it from the SMS or the pickup slip: case,
 * spaces and hyphens do not matter (a slip may print it in groups).
 */
export const OrderReference = z
  .string()
  .max(40)
  .overwrite((s) => s.replace(/[\s-]/g, "").toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{6,20}$/, "the order reference from the SMS or the pickup slip, such as K7QW-3MZP-XA"))
  .openapi({ example: "K7QW3MZPXA", description: "6-20 letters and digits once case, spaces and hyphens are set aside" });

/** The last four digits of the patient's phone (or, for a delivery, of the delivery phone). */
export const PhoneCheck = z
  .string()
  .trim()
  .regex(/^\d{4}$/, "the last four digits of the phone number")
  .openapi({ example: "0411" });

/** As query parameters (other parameters, such as a link's tracking tags, are ignored). */
export const StatusLookupQuery = z.object({ reference: OrderReference, check: PhoneCheck });

export const StatusLookup = StatusLookupQuery.strict().openapi("OrderStatusLookup");
export type StatusLookup = z.infer<typeof StatusLookup>;

const ScheduledInstalment = z
  .object({
    instalment: z.number().int(),
    status: OrderStatus,
    statusText: z.string().openapi({ example: "待发放（分次取药，到期自动进入审核）" }),
    days: z.number().int().openapi({ description: "supply days of this instalment" }),
    supplyFrom: z.string().openapi({ description: "the first day this instalment's supply covers (China date)" }),
    releaseOn: z.string().openapi({ description: "the day it goes to the pharmacy (China date)" }),
    current: z.boolean().openapi({ description: "the order the reference belongs to" }),
  })
  .openapi("PatientInstalment");

/**
 * What anyone holding the reference and the phone check may learn: the order's state,
 * where and how it reaches the patient, and the instalment schedule. Nothing medical: no
 * drug names, no diagnosis, no pickup code, no rejection reason.
 */
export const PatientOrderView = z
  .object({
    reference: z.string(),
    status: OrderStatus,
    statusText: z.string().openapi({ example: "已备好，请凭取药码到取药点取药" }),
    updatedAt: z.string(),
    mode: z.enum(FULFILMENT_MODES),
    modeText: z.string().openapi({ example: "到取药点自取" }),
    pharmacy: z.object({ name: z.string(), hours: z.string().nullable() }).optional(),
    pickupSite: z.object({ name: z.string(), address: z.string() }).optional(),
    carrier: z.string().optional(),
    trackingNo: z.string().optional(),
    heldItems: z.number().int().optional().openapi({ description: "awaiting stock: how many of the order's items wait for stock (no drug names)" }),
    instalment: z.number().int().openapi({ description: "this order is instalment n …" }),
    instalments: z.number().int().openapi({ description: "… of N" }),
    schedule: z.array(ScheduledInstalment),
  })
  .openapi("PatientOrderView");
export type PatientOrderView = z.infer<typeof PatientOrderView>;
