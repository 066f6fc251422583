import { z } from "@hono/zod-openapi";

export const INBOX_KINDS = ["rejected", "returned", "expired", "change_requested"] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

export const InboxQuery = z.object({
  state: z.enum(["open", "done", "all"]).default("open").openapi({ description: "`open` (default): not marked done yet" }),
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: "newest first, 1..100" }),
});

export const InboxIdParam = z.object({ id: z.string().min(1).max(200).openapi({ param: { name: "id", in: "path" } }) });

export const InboxItem = z
  .object({
    id: z.string(),
    kind: z.enum(INBOX_KINDS),
    template: z.string(),
    orderId: z.string(),
    prescriptionId: z.string().nullable(),
    patientId: z.string(),
    patientName: z.string(),
    createdAt: z.string(),
    doneAt: z.string().nullable(),
    reason: z.string().optional().openapi({ description: "why: the pharmacist's 处方点评 reason, the return reason, the pickup limit" }),
    note: z.string().optional().openapi({ description: "the pharmacist's free text" }),
    changeRequestId: z.string().optional(),
    actionable: z.boolean().openapi({
      description: "still needs the doctor: a rejected, returned or expired prescription neither replaced nor cancelled; a change request still open",
    }),
  })
  .openapi("InboxItem");
export type InboxItem = z.infer<typeof InboxItem>;

export const Inbox = z
  .object({ items: z.array(InboxItem), open: z.number().int().openapi({ description: "notices not marked done" }) })
  .openapi("Inbox");
export type Inbox = z.infer<typeof Inbox>;
