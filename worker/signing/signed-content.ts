import { z } from "@hono/zod-openapi";

/*
 * What a signed prescription says, read back from its frozen canonical JSON
 * (prescriptions.service frozenContent). Doctors' and pharmacists' views both read it
 * through here, leniently: the stored text is the truth, this is only its shape.
 */

/** The signed content a pharmacist reviews (处方审核), read from the frozen prescription. */
export const SignedContentSummary = z
  .object({
    prescriber: z.object({ id: z.string(), title: z.string(), institutionId: z.string() }).nullable(),
    diagnoses: z.array(z.object({ icd10: z.string(), name: z.string().optional() })),
    items: z.array(
      z.object({
        drugCode: z.string(),
        genericName: z.string().nullable(),
        form: z.string().nullable(),
        strength: z.object({ value: z.number(), unit: z.string() }).nullable(),
        pack: z.object({ size: z.number(), unit: z.string() }).nullable(),
        dose: z.object({ value: z.number(), unit: z.string() }),
        frequency: z.string(),
        route: z.string().nullable(),
        days: z.number().int(),
        packages: z.number().int(),
      }),
    ),
    extendedReason: z.string().nullable(),
    longTerm: z.object({ firstIssue: z.boolean(), assessment: z.string(), patientConfirmed: z.boolean() }).nullable(),
  })
  .openapi("SignedContentSummary");
export type SignedContentSummary = z.infer<typeof SignedContentSummary>;

/** The frozen content as signed (prescriptions.service frozenContent); read leniently, shaped for review. */
const StoredContent = z.object({
  prescriber: z.object({ id: z.string(), title: z.string(), institutionId: z.string() }).optional(),
  diagnoses: z.array(z.object({ icd10: z.string(), name: z.string().optional() })),
  items: z.array(
    z.object({
      drugCode: z.string(),
      dose: z.object({ value: z.number(), unit: z.string() }),
      frequency: z.string(),
      route: z.string().optional(),
      days: z.number(),
      packages: z.number(),
      drug: z
        .object({
          genericName: z.string(),
          form: z.string(),
          strength: z.object({ value: z.number(), unit: z.string() }),
          pack: z.object({ size: z.number(), unit: z.string() }),
        })
        .nullable()
        .optional(),
    }),
  ),
  extendedReason: z.string().nullable().optional(),
  longTerm: z.object({ firstIssue: z.boolean(), assessment: z.string(), patientConfirmed: z.boolean() }).nullable().optional(),
});

/** The signed content shaped for review; null when it cannot be read (then it does not verify either). */
export function readSignedContent(text: string): SignedContentSummary | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = StoredContent.safeParse(raw);
  if (!parsed.success) return null;
  const c = parsed.data;
  return {
    prescriber: c.prescriber ?? null,
    diagnoses: c.diagnoses,
    items: c.items.map((i) => ({
      drugCode: i.drugCode,
      genericName: i.drug?.genericName ?? null,
      form: i.drug?.form ?? null,
      strength: i.drug?.strength ?? null,
      pack: i.drug?.pack ?? null,
      dose: i.dose,
      frequency: i.frequency,
      route: i.route ?? null,
      days: i.days,
      packages: i.packages,
    })),
    extendedReason: c.extendedReason ?? null,
    longTerm: c.longTerm ?? null,
  };
}

