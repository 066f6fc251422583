import { z } from "@hono/zod-openapi";
import { AtcPrefix } from "../members/members.schemas";

export const InteractionId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-', at most 64")
  .openapi({ example: "ddi-warfarin-nsaid" });

export const Severity = z.enum(["major", "moderate"]);

/** One side of an interaction matches a drug by ATC prefix, by generic name, or by either. */
export const InteractionSide = z
  .object({
    atcPrefix: AtcPrefix.optional(),
    name: z.string().trim().min(1).max(100).optional().openapi({ example: "华法林", description: "generic name (通用名)" }),
  })
  .strict()
  .refine((s) => s.atcPrefix !== undefined || s.name !== undefined, "give an atcPrefix, a name or both")
  .openapi("InteractionSide");
export type InteractionSide = z.infer<typeof InteractionSide>;

const interactionFields = {
  a: InteractionSide,
  b: InteractionSide,
  severity: Severity,
  note: z.string().trim().min(1).max(1000).openapi({ example: "出血风险增加" }),
  source: z.string().trim().min(1).max(200).openapi({ example: "药品说明书" }),
};

export const InteractionInput = z
  .object({ id: InteractionId, ...interactionFields })
  .strict()
  .openapi("DrugInteractionInput");
export type InteractionInput = z.infer<typeof InteractionInput>;

export const InteractionPatch = z
  .object(interactionFields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("DrugInteractionPatch");
export type InteractionPatch = z.infer<typeof InteractionPatch>;

export const Interaction = z
  .object({
    id: z.string(),
    a: z.object({ atcPrefix: z.string().optional(), name: z.string().optional() }),
    b: z.object({ atcPrefix: z.string().optional(), name: z.string().optional() }),
    severity: Severity,
    note: z.string(),
    source: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi("DrugInteraction");
export type Interaction = z.infer<typeof Interaction>;
