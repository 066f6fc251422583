import { serviceContext } from "../context";
import { problemResponses } from "../errors/problem";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { Inbox, InboxIdParam, InboxItem, InboxQuery } from "./inbox.schemas";
import { listInbox, markInboxDone } from "./inbox.service";

/** The prescribing doctor's inbox (registered practitioners; own notices only). */

const TAGS = ["Inbox"];

export const inboxRoutes = openApiApp()
  .openapi(
    guardedRoute(["doctor"], {
      method: "get",
      path: "/inbox",
      tags: TAGS,
      summary: "What needs the doctor: rejected (with the pharmacist's reason), returned, expired uncollected, change requested; newest first",
      description:
        "Own notices only. `actionable`: still needs the doctor (a rejected, returned or expired prescription neither replaced nor cancelled; a change request still open). " +
        "Replacing a prescription (POST /prescriptions with `replaces`) marks its notices done. `open`: notices not marked done.",
      request: { query: InboxQuery },
      responses: { 200: jsonResponse(Inbox, "The notices and the open count") },
    }),
    async (c) => c.json(await listInbox(serviceContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "post",
      path: "/inbox/{id}/done",
      tags: TAGS,
      summary: "Mark a notice done (idempotent: again, the same answer)",
      description: "Someone else's notice, or an unknown one: 404. Audited.",
      request: { params: InboxIdParam },
      responses: { 200: jsonResponse(InboxItem, "The notice, done"), ...problemResponses(404) },
    }),
    async (c) => c.json(await markInboxDone(serviceContext(c), c.req.valid("param").id), 200),
  );
