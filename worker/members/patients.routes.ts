import { z } from "@hono/zod-openapi";
import { serviceContext } from "../context";
import { guardedRoute, jsonBody, jsonResponse, openApiApp } from "../http/openapi";
import { decodeCursor, PageMeta, PageQuery, pageOf } from "../http/pagination";
import { problemResponses } from "../errors/problem";
import {
  Allergy,
  AllergyInput,
  Condition,
  ConditionInput,
  ConditionPatch,
  EventInput,
  MemberId,
  Patient,
  PatientDetails,
  PatientEvent,
  PatientInput,
  PatientPatch,
  PatientSummary,
} from "./members.schemas";
import { addAllergy, addCondition, addEvent, createPatient, findPatients, patchCondition, patchPatient, readPatient } from "./patients.service";

/** Shared records: admins and doctors of any member institution; pharmacists never. */
const RECORD_ROLES = ["doctor", "admin"] as const;

const IdParam = z.object({ id: MemberId.openapi({ param: { name: "id", in: "path" } }) });
const ConditionParams = IdParam.extend({ conditionId: z.string().min(1).max(64).openapi({ param: { name: "conditionId", in: "path" } }) });
const SearchCursor = z.object({ n: z.string(), i: z.string() });
const PatientPage = z.object({ items: z.array(PatientSummary), ...PageMeta }).openapi("PatientPage");

const AUDITED = "Every call leaves an audit row with the caller.";
const MEMBERS_ONLY = "Doctors must be registered practitioners of the institution in their token (else 403).";

export const patientRoutes = openApiApp()
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "post",
      path: "/patients",
      tags: ["Patients"],
      summary: "Register a patient of the consortium",
      description: `${MEMBERS_ONLY} ${AUDITED} \`phone\` (optional) is where notifications go; its last four digits let the patient look up their orders (GET /order-status). \`egfr\`/\`egfrOn\` and \`pregnancy\`/\`pregnancyOn\` (optional) as in PATCH /patients/{id}; a pregnancy status for a male patient is a 422.`,
      request: { body: jsonBody(PatientInput) },
      responses: { 201: jsonResponse(PatientDetails, "Created"), ...problemResponses(409, 413, 422) },
    }),
    async (c) => {
      const patient = await createPatient(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/patients/${encodeURIComponent(patient.id)}`);
      return c.json(patient, 201);
    },
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "get",
      path: "/patients",
      tags: ["Patients"],
      summary: "Find patients by exact id, name prefix, pinyin initials or phone prefix",
      description: `${MEMBERS_ONLY} ${AUDITED} The audit row lists the ids shown, not the query. \`q\` matches an exact id, a name prefix, pinyin initials of the name (letters only, any case: ZGL, zg) or, from 7 digits on, a phone prefix. Results carry the age (whole years, China date) and the phone masked (138****2608).`,
      request: { query: z.object({ q: z.string().trim().min(1).max(64).openapi({ example: "ZGL" }), ...PageQuery }) },
      responses: { 200: jsonResponse(PatientPage, "Matches ordered by name, then id") },
    }),
    async (c) => {
      const { q, limit, cursor } = c.req.valid("query");
      const after = cursor ? decodeCursor(cursor, SearchCursor) : undefined;
      const rows = await findPatients(serviceContext(c), { q, limit, ...(after ? { after: { name: after.n, id: after.i } } : {}) });
      return c.json(pageOf(rows, limit, (r) => ({ n: r.name, i: r.id })), 200);
    },
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "get",
      path: "/patients/{id}",
      tags: ["Patients"],
      summary: "A patient's shared record: conditions, allergies, re-assessment events, eGFR and pregnancy/lactation status",
      description: `${MEMBERS_ONLY} ${AUDITED}`,
      request: { params: IdParam },
      responses: { 200: jsonResponse(Patient, "The record"), ...problemResponses(404) },
    }),
    async (c) => c.json(await readPatient(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "patch",
      path: "/patients/{id}",
      tags: ["Patients"],
      summary: "Set, change or remove (null) a patient's contact phone, contracted family doctor, eGFR or pregnancy/lactation status",
      description: `${MEMBERS_ONLY} ${AUDITED} The audit row records whether a phone is set, never the number. \`familyDoctorId\` must be a registered practitioner (422 with an issue on familyDoctorId otherwise); the patient then is on that doctor's follow-up list (GET /follow-up/due). \`egfr\` (ml/min/1.73m², 0–200) with \`egfrOn\`, the China date it was measured, and \`pregnancy\` ('pregnant' | 'lactating') with \`pregnancyOn\`, the date recorded: a date left out is today; a date in the future or before the birth date is a 400; null removes a value and its date. A pregnancy status on a male patient: 422 with an issue on pregnancy. The special-population rules read both (an eGFR for 12 months from egfrOn).`,
      request: { params: IdParam, body: jsonBody(PatientPatch) },
      responses: { 200: jsonResponse(PatientDetails, "Updated (or unchanged)"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => c.json(await patchPatient(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "post",
      path: "/patients/{id}/conditions",
      tags: ["Patients"],
      summary: "Record a diagnosed condition",
      description: `${MEMBERS_ONLY} ${AUDITED} A diagnosedBy that is not a registered practitioner: 422 with an issue on diagnosedBy.`,
      request: { params: IdParam, body: jsonBody(ConditionInput) },
      responses: { 201: jsonResponse(Condition, "Recorded"), ...problemResponses(404, 413, 422) },
    }),
    async (c) => c.json(await addCondition(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "patch",
      path: "/patients/{id}/conditions/{conditionId}",
      tags: ["Patients"],
      summary: "Re-grade a condition as stable or not, chronic or not",
      description: `${MEMBERS_ONLY} ${AUDITED} Grading it stable or chronic (which opens long prescriptions for it) is for doctors of the institution that diagnosed it (403 otherwise); not stable / not chronic any member doctor may record.`,
      request: { params: ConditionParams, body: jsonBody(ConditionPatch) },
      responses: { 200: jsonResponse(Condition, "Updated (or unchanged)"), ...problemResponses(404, 409) },
    }),
    async (c) => {
      const { id, conditionId } = c.req.valid("param");
      return c.json(await patchCondition(serviceContext(c), id, conditionId, c.req.valid("json")), 200);
    },
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "post",
      path: "/patients/{id}/allergies",
      tags: ["Patients"],
      summary: "Record an allergy (by substance, optionally an ATC prefix the safety rules match)",
      description: `${MEMBERS_ONLY} ${AUDITED}`,
      request: { params: IdParam, body: jsonBody(AllergyInput) },
      responses: { 201: jsonResponse(Allergy, "Recorded"), ...problemResponses(404, 413) },
    }),
    async (c) => c.json(await addAllergy(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    guardedRoute(RECORD_ROLES, {
      method: "post",
      path: "/patients/{id}/events",
      tags: ["Patients"],
      summary: "Record a long-prescription re-assessment trigger (admission, new condition, goal not met)",
      description: `${MEMBERS_ONLY} ${AUDITED}`,
      request: { params: IdParam, body: jsonBody(EventInput) },
      responses: { 201: jsonResponse(PatientEvent, "Recorded"), ...problemResponses(404, 413) },
    }),
    async (c) => c.json(await addEvent(serviceContext(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
