import { z } from "@hono/zod-openapi";

/*
 * A signed prescription read back as the draft it was signed from (prescriptions.service
 * frozenContent stores the draft's fields beside what the signing added). A change request
 * starts from this draft, changes some items and is checked by the same rules; its
 * acceptance signs the changed draft as a new prescription. The doctor's side validates
 * the stored proposal again with its own (stricter) API schema before signing it.
 */

const Quantity = z.object({ value: z.number(), unit: z.string() });

export const SignedDraftItem = z.object({
  drugCode: z.string(),
  dose: Quantity,
  frequency: z.enum(["qd", "bid", "tid", "qid", "qn", "qw", "prn"]),
  route: z.string().optional(),
  days: z.number().int(),
  packages: z.number().int(),
});

export const SignedDraft = z
  .object({
    patientId: z.string(),
    kind: z.enum(["normal", "emergency", "long_term"]),
    diagnoses: z.array(z.object({ icd10: z.string(), name: z.string().optional() })),
    items: z.array(SignedDraftItem),
    extendedReason: z.string().optional(),
    longTerm: z.object({ firstIssue: z.boolean(), assessment: z.string(), patientConfirmed: z.boolean() }).optional(),
    fulfilment: z.object({
      mode: z.enum(["delivery", "pickup"]),
      pickupSiteId: z.string().optional(),
      address: z.object({ region: z.string(), line: z.string(), phone: z.string() }).optional(),
      instalments: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    }),
  })
  .openapi("SignedDraft", { description: "a prescription draft (PrescriptionDraft without writtenAt) as signed or proposed" });
export type SignedDraft = z.infer<typeof SignedDraft>;

/** The frozen content's draft fields: nulls where the draft had nothing, item facts (`drug`) beside the item. */
const FrozenDraft = z.object({
  patientId: z.string(),
  kind: SignedDraft.shape.kind,
  diagnoses: SignedDraft.shape.diagnoses,
  // (unknown keys such as each item's `drug` facts are stripped)
  items: z.array(SignedDraftItem),
  extendedReason: z.string().nullable().optional(),
  longTerm: SignedDraft.shape.longTerm.nullable(),
  fulfilment: SignedDraft.shape.fulfilment,
});

/** The draft a signed prescription was signed from; null when its content cannot be read (then it does not verify either). */
export function readSignedDraft(content: string): SignedDraft | null {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return null;
  }
  const parsed = FrozenDraft.safeParse(raw);
  if (!parsed.success) return null;
  const { extendedReason, longTerm, ...rest } = parsed.data;
  return {
    ...rest,
    ...(extendedReason ? { extendedReason } : {}),
    ...(longTerm ? { longTerm } : {}),
  };
}
