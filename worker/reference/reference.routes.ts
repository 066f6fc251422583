import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, PageMeta, PageQuery, pageOf } from "../http/pagination";
import { problemResponses } from "../errors/problem";
import { Interaction, InteractionId, InteractionInput, InteractionPatch, Severity } from "./reference.schemas";
import { createInteraction, deleteInteraction, findInteractions, getInteraction, patchInteraction } from "./reference.service";

const ALL_ROLES = ["doctor", "pharmacist", "admin"] as const;

const IdParam = z.object({ id: InteractionId.openapi({ param: { name: "id", in: "path" } }) });
const InteractionPage = z.object({ items: z.array(Interaction), ...PageMeta }).openapi("DrugInteractionPage");

export const referenceRoutes = openApiApp()
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/interactions",
      tags: ["Reference data"],
      summary: "The drug-drug interaction table the safety rules check, by id",
      request: { query: z.object({ severity: Severity.optional(), ...PageQuery }) },
      responses: { 200: jsonResponse(InteractionPage, "A page of interactions") },
    }),
    async (c) => {
      const { severity, limit, cursor } = c.req.valid("query");
      const afterId = cursor ? decodeCursor(cursor, z.object({ i: z.string() })).i : undefined;
      const rows = await findInteractions(serviceContext(c), { severity, afterId, limit });
      return c.json(pageOf(rows, limit, (r) => ({ i: r.id })), 200);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/interactions/{id}",
      tags: ["Reference data"],
      summary: "One interaction",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Interaction, "The interaction"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getInteraction(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/interactions",
      tags: ["Reference data"],
      summary: "Add an interaction; each side is an ATC prefix, a generic name or both",
      request: { body: jsonBody(InteractionInput) },
      responses: { 201: jsonResponse(Interaction, "Created"), ...problemResponses(409, 413) },
    }),
    async (c) => {
      const interaction = await createInteraction(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/interactions/${encodeURIComponent(interaction.id)}`);
      return c.json(interaction, 201);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "patch",
      path: "/interactions/{id}",
      tags: ["Reference data"],
      summary: "Change an interaction; a side given replaces the whole side",
      request: { params: IdParam, body: jsonBody(InteractionPatch) },
      responses: { 200: jsonResponse(Interaction, "Updated (or unchanged)"), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await patchInteraction(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "delete",
      path: "/interactions/{id}",
      tags: ["Reference data"],
      summary: "Remove an interaction (audited with its last content)",
      request: { params: IdParam },
      responses: { 204: { description: "Removed" }, ...problemResponses(404, 409) },
    }),
    async (c) => {
      await deleteInteraction(serviceContext(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
