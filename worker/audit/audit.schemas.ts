import { z } from "@hono/zod-openapi";
import { PageMeta, PageQuery } from "../http/pagination";
import { isCalendarDate } from "../lib/clock";

const ChinaDate = z.string().refine(isCalendarDate, "a calendar date YYYY-MM-DD");

/** Ids and names as the audit rows store them: short, printable, no wildcards to interpret. */
const Token = z.string().trim().min(1).max(64).regex(/^[\w.:-]+$/, "letters, digits, '.', ':', '_' or '-', at most 64");

export const AuditQuery = z.object({
  entityType: Token.optional().openapi({ description: "e.g. consortium_setting, practitioner, prescription", example: "consortium_setting" }),
  entityId: Token.optional().openapi({ description: "only with entityType", example: "reviewTargetMinutes" }),
  actorId: Token.optional().openapi({ description: "the sub of whoever acted", example: "admin-county" }),
  action: Token.optional().openapi({ description: "exact action, e.g. settings.update, or a prefix ending in '.' (settings.)", example: "settings.update" }),
  from: ChinaDate.optional().openapi({ description: "first day, China date (UTC+8), inclusive", example: "2026-12-01" }),
  to: ChinaDate.optional().openapi({ description: "last day, China date (UTC+8), inclusive", example: "2026-12-31" }),
  ...PageQuery,
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEventView = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorId: z.string(),
    actorName: z.string().nullable().openapi({ description: "the practitioner's or pharmacist's name, or the caller's own; null when not known (admins have no table)" }),
    actorRole: z.string(),
    actorOrg: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown().nullable().openapi({ description: "the entity before the change (JSON), null for a creation or a read" }),
    after: z.unknown().nullable().openapi({ description: "the entity after the change, or what was read (JSON)" }),
    requestId: z.string().nullable(),
  })
  .openapi("AuditEvent");
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditPage = z.object({ items: z.array(AuditEventView), ...PageMeta }).openapi("AuditEventPage");

/** The keyset cursor: the last id of the page (ids only go down). */
export const AuditCursor = z.object({ id: z.number().int().positive() }).strict();
