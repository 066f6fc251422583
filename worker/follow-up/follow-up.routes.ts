import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { problemResponses } from "../errors/problem";
import { decodeCursor, encodeCursor } from "../http/pagination";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { MemberId } from "../members/members.schemas";
import { listDue } from "./due-list.service";
import { DueCursor, DuePage, DueQuery, PatientOverview } from "./follow-up.schemas";
import { readOverview } from "./overview.service";

const IdParam = z.object({ id: MemberId.openapi({ param: { name: "id", in: "path" } }) });

const MEMBERS_ONLY = "Doctors must be registered practitioners of the institution in their token (else 403); pharmacists never.";

export const followUpRoutes = openApiApp()
  .openapi(
    guardedRoute(["doctor", "admin"], {
      method: "get",
      path: "/patients/{id}/overview",
      tags: ["Follow-up"],
      summary: "The patient at a glance: record, active supply from every member institution, last long prescription, re-assessment and renewal",
      description: `${MEMBERS_ONLY} One D1 round trip; audited like GET /patients/{id}. A prescription id appears only where the caller may open that prescription (a doctor of the institution that wrote it, or an admin); the supply it covers is shown to every member doctor.`,
      request: { params: IdParam },
      responses: { 200: jsonResponse(PatientOverview, "The overview"), ...problemResponses(404) },
    }),
    async (c) => c.json(await readOverview(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "get",
      path: "/follow-up/due",
      tags: ["Follow-up"],
      summary: "My patients due for follow-up: supply ending or lapsed, or re-assessment due; oldest first",
      description: `${MEMBERS_ONLY} "My patients": contracted to me as family doctor, or given a (not cancelled) long prescription by me. Due when the supply of their long prescriptions (any member institution) ends within \`withinDays\` or ran out in the last 30 days, or a re-assessment trigger happened after their last long prescription. One D1 round trip whatever the number of patients; the audit row lists the ids shown.`,
      request: { query: DueQuery },
      responses: { 200: jsonResponse(DuePage, "Oldest dueOn first, keyset-paginated on (dueOn, patientId)") },
    }),
    async (c) => {
      const { withinDays, limit, cursor } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, DueCursor) : undefined;
      const page = await listDue(serviceContext(c), { withinDays, limit, ...(after ? { after } : {}) });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
    },
  );
