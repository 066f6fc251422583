import { serviceContext } from "../context";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { AuditPage, AuditQuery } from "./audit.schemas";
import { listAudit } from "./audit.service";

export const auditRoutes = openApiApp().openapi(
  guardedRoute(["admin"], {
    method: "get",
    path: "/audit-events",
    tags: ["Audit log"],
    summary: "The audit log, newest first: who changed or read what (admins; the read is audited too)",
    description:
      "Filters combine (AND). from/to are China dates, inclusive. Keyset pages: pass nextCursor back as cursor. " +
      "Each call writes its own audit row (action audit.read) with the filters it used, in the same batch as the read.",
    request: { query: AuditQuery },
    responses: { 200: jsonResponse(AuditPage, "A page of audit events") },
  }),
  async (c) => c.json(await listAudit(serviceContext(c), c.req.valid("query")), 200),
);
