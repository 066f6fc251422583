import { z } from "@hono/zod-openapi";
import { DrugCode } from "../../formulary/formulary.schemas";
import { ChangeRequest } from "../orders/change-request-view";

export { ChangeRequest };

/** At most what a draft may hold (prescriptions.schemas Draft: 20 items). */
const MAX_ITEMS = 20;

export const ItemChangeInput = z
  .object({
    index: z.number().int().min(0).max(MAX_ITEMS - 1).openapi({ description: "the item's position in the signed prescription (0-based)" }),
    drugCode: DrugCode.optional().openapi({ description: "another product of the same medicine: a 集采 generic, another strength or pack size" }),
    packages: z.number().int().min(1).max(9999).optional(),
    dose: z
      .object({ value: z.number().positive().finite().max(1e6), unit: z.string().trim().min(1).max(8) })
      .strict()
      .optional()
      .openapi({ description: "the single dose in the new product's terms (e.g. 2 × 2.5 mg tablets stay 5 mg)" }),
  })
  .strict()
  .refine((c) => c.drugCode !== undefined || c.packages !== undefined || c.dose !== undefined, { message: "a change names a drugCode, packages or dose" })
  .openapi("ItemChangeInput");
export type ItemChangeInput = z.infer<typeof ItemChangeInput>;

export const ChangeRequestInput = z
  .object({
    reason: z.string().trim().min(1).max(500).openapi({ description: "for the doctor, e.g. 集采中选产品替换 / 原规格缺货" }),
    changes: z.array(ItemChangeInput).min(1).max(MAX_ITEMS),
  })
  .strict()
  .superRefine((r, ctx) => {
    const seen = new Set<number>();
    r.changes.forEach((c, i) => {
      if (seen.has(c.index)) ctx.addIssue({ code: "custom", path: ["changes", i, "index"], message: `item ${c.index} is changed twice; put both changes in one entry` });
      seen.add(c.index);
    });
  })
  .openapi("ChangeRequestInput");
export type ChangeRequestInput = z.infer<typeof ChangeRequestInput>;

export const WithdrawInput = z
  .object({ note: z.string().trim().min(1).max(500).optional() })
  .strict()
  .openapi("ChangeRequestWithdrawInput");

export const ChangeRequestIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

export const ChangeRequestList = z.object({ items: z.array(ChangeRequest) }).openapi("ChangeRequestList");
