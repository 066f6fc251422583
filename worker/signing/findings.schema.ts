import { z } from "@hono/zod-openapi";

/** A rule finding as stored with a signed prescription and shown to doctors and pharmacists (rules/types.ts Finding). */
export const FindingSchema = z
  .object({
    ruleId: z.string(),
    severity: z.enum(["error", "warning"]),
    itemIndex: z.number().int().optional(),
    path: z.string().optional(),
    message: z.string(),
    source: z.string(),
  })
  .openapi("Finding");
export type StoredFinding = z.infer<typeof FindingSchema>;
