import { z } from "@hono/zod-openapi";
import { serviceContext } from "../../context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../../http/openapi";
import { problemResponses } from "../../errors/problem";
import { MemberId, Pharmacy, PharmacyInput, PharmacyList, PharmacyPatch, Site, SiteInput } from "./pharmacies.schemas";
import { addSite, createPharmacy, getPharmacy, listPharmacies, patchPharmacy } from "./pharmacies.service";

const ALL_ROLES = ["doctor", "pharmacist", "admin"] as const;
const IdParam = z.object({ id: MemberId.openapi({ param: { name: "id", in: "path" } }) });

export const pharmacyRoutes = openApiApp()
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/pharmacies",
      tags: ["Pharmacies"],
      summary: "The contracted pharmacies with their pickup sites (never their shared secrets)",
      responses: { 200: jsonResponse(PharmacyList, "Every pharmacy, by id") },
    }),
    async (c) => c.json({ items: await listPharmacies(serviceContext(c)) }, 200),
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/pharmacies/{id}",
      tags: ["Pharmacies"],
      summary: "One pharmacy with its pickup sites",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Pharmacy, "The pharmacy"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getPharmacy(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/pharmacies",
      tags: ["Pharmacies"],
      summary: "Contract a pharmacy",
      description: "An external pharmacy needs an https endpointUrl and a sharedSecret of at least 32 characters (422 otherwise); a desk pharmacy has neither.",
      request: { body: jsonBody(PharmacyInput) },
      responses: { 201: jsonResponse(Pharmacy, "Created"), ...problemResponses(409, 413, 422) },
    }),
    async (c) => {
      const pharmacy = await createPharmacy(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/pharmacies/${encodeURIComponent(pharmacy.id)}`);
      return c.json(pharmacy, 201);
    },
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "patch",
      path: "/pharmacies/{id}",
      tags: ["Pharmacies"],
      summary: "Change a pharmacy: name, area, capabilities, hours, integration, endpoint, secret rotation",
      request: { params: IdParam, body: jsonBody(PharmacyPatch) },
      responses: { 200: jsonResponse(Pharmacy, "Updated (or unchanged)"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(await patchPharmacy(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/pharmacies/{id}/sites",
      tags: ["Pharmacies"],
      summary: "Add a pickup site (service window) to a pharmacy",
      description: "An institutionId that is not a member institution: 422.",
      request: { params: IdParam, body: jsonBody(SiteInput) },
      responses: { 201: jsonResponse(Site, "Created"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => {
      const site = await addSite(serviceContext(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json(site, 201);
    },
  );
