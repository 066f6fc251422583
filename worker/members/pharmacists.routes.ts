import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, PageMeta, PageQuery, pageOf } from "../http/pagination";
import { problemResponses } from "../errors/problem";
import { MemberId } from "./members.schemas";
import { Pharmacist, PharmacistInput, PharmacistPatch } from "./pharmacists.schemas";
import { createPharmacist, findPharmacists, getPharmacist, patchPharmacist } from "./pharmacists.service";

/** Admins manage pharmacists; a pharmacist reads the colleagues of their own pharmacy; doctors never. */
const READERS = ["pharmacist", "admin"] as const;
const OWN_PHARMACY = "A pharmacist must be registered at the pharmacy in their token (else 403) and sees only its pharmacists.";

const IdParam = z.object({ id: MemberId.openapi({ param: { name: "id", in: "path" } }) });
const IdCursor = z.object({ i: z.string() });
const PharmacistPage = z.object({ items: z.array(Pharmacist), ...PageMeta }).openapi("PharmacistPage");

export const pharmacistRoutes = openApiApp()
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/pharmacists",
      tags: ["Members"],
      summary: "Register a pharmacist at a contracted pharmacy",
      description: "A pharmacyId that is not a contracted pharmacy: 422 with an issue on pharmacyId. Audited.",
      request: { body: jsonBody(PharmacistInput) },
      responses: { 201: jsonResponse(Pharmacist, "Created"), ...problemResponses(409, 413, 422) },
    }),
    async (c) => {
      const pharmacist = await createPharmacist(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/pharmacists/${encodeURIComponent(pharmacist.id)}`);
      return c.json(pharmacist, 201);
    },
  )
  .openapi(
    guardedRoute(READERS, {
      method: "get",
      path: "/pharmacists",
      tags: ["Members"],
      summary: "Pharmacists by id, optionally of one pharmacy",
      description: `${OWN_PHARMACY} A pharmacist asking for another pharmacyId: 403.`,
      request: { query: z.object({ pharmacyId: MemberId.optional(), ...PageQuery }) },
      responses: { 200: jsonResponse(PharmacistPage, "A page of pharmacists") },
    }),
    async (c) => {
      const { pharmacyId, limit, cursor } = c.req.valid("query");
      const afterId = cursor ? decodeCursor(cursor, IdCursor).i : undefined;
      const rows = await findPharmacists(serviceContext(c), { pharmacyId, afterId, limit });
      return c.json(pageOf(rows, limit, (r) => ({ i: r.id })), 200);
    },
  )
  .openapi(
    guardedRoute(READERS, {
      method: "get",
      path: "/pharmacists/{id}",
      tags: ["Members"],
      summary: "One pharmacist",
      description: `${OWN_PHARMACY} Another pharmacy's pharmacist is a 404 to them.`,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Pharmacist, "The pharmacist"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getPharmacist(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "patch",
      path: "/pharmacists/{id}",
      tags: ["Members"],
      summary: "Change a pharmacist's name or title, or move them to another pharmacy",
      description:
        "Audited (a move as pharmacist.move). A concurrent change: 409. An unknown pharmacyId: 422 with an issue on pharmacyId. " +
        "A move takes effect at once: the desk checks the pharmacist's pharmacy on every action.",
      request: { params: IdParam, body: jsonBody(PharmacistPatch) },
      responses: { 200: jsonResponse(Pharmacist, "Updated (or unchanged)"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(await patchPharmacist(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
