import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, PageMeta, PageQuery, pageOf } from "../http/pagination";
import { problemResponses } from "../errors/problem";
import {
  Icd10Prefix,
  Institution,
  InstitutionInput,
  InstitutionLevel,
  MemberId,
  Practitioner,
  PractitionerInput,
  PractitionerPatch,
  SpecialtyRelation,
  SpecialtyRelationInput,
} from "./members.schemas";
import {
  createInstitution,
  createPractitioner,
  findInstitutions,
  findPractitioners,
  findSpecialtyRelations,
  getInstitution,
  getPractitioner,
  getSpecialtyRelation,
  patchPractitioner,
  replaceSpecialtyRelation,
} from "./members.service";

const ALL_ROLES = ["doctor", "pharmacist", "admin"] as const;

const IdParam = z.object({ id: MemberId.openapi({ param: { name: "id", in: "path" } }) });
const PrefixParam = z.object({ icd10Prefix: Icd10Prefix.openapi({ param: { name: "icd10Prefix", in: "path" } }) });
const IdCursor = z.object({ i: z.string() });

const InstitutionPage = z.object({ items: z.array(Institution), ...PageMeta }).openapi("InstitutionPage");
const PractitionerPage = z.object({ items: z.array(Practitioner), ...PageMeta }).openapi("PractitionerPage");
const SpecialtyRelationPage = z.object({ items: z.array(SpecialtyRelation), ...PageMeta }).openapi("SpecialtyRelationPage");

export const memberRoutes = openApiApp()
  // -------------------------------------------------------------------------------------
  // Institutions
  // -------------------------------------------------------------------------------------
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/institutions",
      tags: ["Members"],
      summary: "Register a member institution",
      request: { body: jsonBody(InstitutionInput) },
      responses: { 201: jsonResponse(Institution, "Created"), ...problemResponses(409, 413) },
    }),
    async (c) => {
      const institution = await createInstitution(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/institutions/${encodeURIComponent(institution.id)}`);
      return c.json(institution, 201);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/institutions",
      tags: ["Members"],
      summary: "Member institutions by id",
      request: { query: z.object({ level: InstitutionLevel.optional(), ...PageQuery }) },
      responses: { 200: jsonResponse(InstitutionPage, "A page of institutions") },
    }),
    async (c) => {
      const { level, limit, cursor } = c.req.valid("query");
      const afterId = cursor ? decodeCursor(cursor, IdCursor).i : undefined;
      const rows = await findInstitutions(serviceContext(c), { level, afterId, limit });
      return c.json(pageOf(rows, limit, (r) => ({ i: r.id })), 200);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/institutions/{id}",
      tags: ["Members"],
      summary: "One member institution",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Institution, "The institution"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getInstitution(serviceContext(c), c.req.valid("param").id), 200),
  )
  // -------------------------------------------------------------------------------------
  // Practitioners
  // -------------------------------------------------------------------------------------
  .openapi(
    guardedRoute(["admin"], {
      method: "post",
      path: "/practitioners",
      tags: ["Members"],
      summary: "Register a practitioner at a member institution",
      description: "An institutionId that is not a member institution: 422 with an issue on institutionId.",
      request: { body: jsonBody(PractitionerInput) },
      responses: { 201: jsonResponse(Practitioner, "Created"), ...problemResponses(409, 413, 422) },
    }),
    async (c) => {
      const practitioner = await createPractitioner(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/practitioners/${encodeURIComponent(practitioner.id)}`);
      return c.json(practitioner, 201);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/practitioners",
      tags: ["Members"],
      summary: "Practitioners by id, optionally of one institution",
      request: { query: z.object({ institutionId: MemberId.optional(), ...PageQuery }) },
      responses: { 200: jsonResponse(PractitionerPage, "A page of practitioners") },
    }),
    async (c) => {
      const { institutionId, limit, cursor } = c.req.valid("query");
      const afterId = cursor ? decodeCursor(cursor, IdCursor).i : undefined;
      const rows = await findPractitioners(serviceContext(c), { institutionId, afterId, limit });
      return c.json(pageOf(rows, limit, (r) => ({ i: r.id })), 200);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/practitioners/{id}",
      tags: ["Members"],
      summary: "One practitioner",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Practitioner, "The practitioner"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getPractitioner(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "patch",
      path: "/practitioners/{id}",
      tags: ["Members"],
      summary: "Change a practitioner's name, title or specialties",
      request: { params: IdParam, body: jsonBody(PractitionerPatch) },
      responses: { 200: jsonResponse(Practitioner, "Updated (or unchanged)"), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await patchPractitioner(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  // -------------------------------------------------------------------------------------
  // Related specialties
  // -------------------------------------------------------------------------------------
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/specialty-relations",
      tags: ["Members"],
      summary: "Which specialties count as related to a condition (ICD-10 prefix), by prefix",
      request: { query: z.object(PageQuery) },
      responses: { 200: jsonResponse(SpecialtyRelationPage, "A page of prefixes with their specialties") },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const afterPrefix = cursor ? decodeCursor(cursor, z.object({ p: z.string() })).p : undefined;
      const rows = await findSpecialtyRelations(serviceContext(c), { afterPrefix, limit });
      return c.json(pageOf(rows, limit, (r) => ({ p: r.icd10Prefix })), 200);
    },
  )
  .openapi(
    guardedRoute(ALL_ROLES, {
      method: "get",
      path: "/specialty-relations/{icd10Prefix}",
      tags: ["Members"],
      summary: "The specialties related to one ICD-10 prefix",
      request: { params: PrefixParam },
      responses: { 200: jsonResponse(SpecialtyRelation, "The prefix and its specialties"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getSpecialtyRelation(serviceContext(c), c.req.valid("param").icd10Prefix), 200),
  )
  .openapi(
    guardedRoute(["admin"], {
      method: "put",
      path: "/specialty-relations/{icd10Prefix}",
      tags: ["Members"],
      summary: "Replace the set of specialties related to an ICD-10 prefix (an empty set removes it)",
      request: { params: PrefixParam, body: jsonBody(SpecialtyRelationInput) },
      responses: { 200: jsonResponse(SpecialtyRelation, "The new set") },
    }),
    async (c) => c.json(await replaceSpecialtyRelation(serviceContext(c), c.req.valid("param").icd10Prefix, c.req.valid("json")), 200),
  );
