import { createRoute, z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { serviceContext } from "../context";
import type { AppEnv } from "../http/context";
import { parseIdempotencyKey } from "../http/idempotency";
import { guardedRoute, jsonResponse, openApiApp } from "../http/openapi";
import { problemResponses, StoredProblem } from "../errors/problem";
import { Draft, Prescription, PrescriptionListQuery, PrescriptionPage, PrintedPrescription, Redraft, RenewalQuery, ValidationResponse } from "./prescriptions.schemas";
import { printPrescription } from "./print.service";
import { listPrescriptions } from "./prescription-list.service";
import { prescriptionDraft, renewalDraft } from "./redraft.service";
import { cancelPrescription, getPrescription, type RxCtx, signPrescription, validatePrescription } from "./prescriptions.service";
import { DEFAULT_LEAD_DAYS } from "../pharmacy/fulfilment";
import { getSigner } from "../signing/signer";

export const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: "id", in: "path" } }) });

/** The doctor's side's service context (its change-request routes share it). */
export async function rxContext(c: Context<AppEnv>): Promise<RxCtx> {
  const lead = Number(c.env.INSTALMENT_LEAD_DAYS ?? DEFAULT_LEAD_DAYS);
  return {
    ...serviceContext(c),
    signer: await getSigner(c.env),
    queue: c.env.ORDER_QUEUE,
    leadDays: Number.isInteger(lead) && lead >= 0 && lead <= 28 ? lead : DEFAULT_LEAD_DAYS,
  };
}

/**
 * The public keys are public on purpose: whoever holds a printed prescription checks its QR
 * payload offline against them (the /ui/verify page, a pharmacy's scanner), without an
 * account. Shared caches may keep them a few minutes; a key rotation keeps the old key
 * listed (RX_VERIFY_KEYS), so a cached list never fails a valid paper.
 */
const publicKeysCache: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.ok) return;
  c.res.headers.set("Cache-Control", "public, max-age=300");
  // a verifier served from elsewhere (a pharmacy's own scanner page) may fetch them too
  c.res.headers.set("Access-Control-Allow-Origin", "*");
};

export const prescriptionRoutes = openApiApp()
  .openapi(
    guardedRoute(["doctor"], {
      method: "post",
      path: "/prescriptions/validate",
      tags: ["Prescriptions"],
      summary: "Check a draft against the formulary and every rule; 200 whatever the findings",
      request: { body: { content: { "application/json": { schema: Draft } }, required: true } },
      responses: { 200: jsonResponse(ValidationResponse, "All findings at once"), ...problemResponses(404, 413) },
    }),
    async (c) => c.json(await validatePrescription(serviceContext(c), c.req.valid("json")), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "post",
      path: "/prescriptions",
      tags: ["Prescriptions"],
      summary: "Validate again and sign; needs Idempotency-Key",
      description:
        "Same key and body: the stored response again. Same key, other body: 422. Missing key: 400. " +
        "The same key while the first request is still running: 409. Rule errors: 422 with the findings in `issues` (and `findings`).",
      request: {
        headers: z.object({ "idempotency-key": z.string().optional().openapi({ description: "unique per intended prescription" }) }),
        body: { content: { "application/json": { schema: Draft } }, required: true },
      },
      responses: { 201: jsonResponse(Prescription, "Signed"), ...problemResponses(404, 409, 422) },
    }),
    async (c) => {
      const key = parseIdempotencyKey(c.req.header("idempotency-key"));
      const outcome = await signPrescription(await rxContext(c), key, c.req.valid("json"));
      if (outcome.replayed) c.header("Idempotent-Replayed", "true");
      // a 422 with rule findings (fresh or replayed) is a problem+json built by the service
      if (outcome.status >= 400) throw new StoredProblem(outcome.status, outcome.body);
      return c.json(outcome.body as Prescription, 201);
    },
  )
  .openapi(
    guardedRoute(["doctor", "admin"], {
      method: "get",
      path: "/prescriptions",
      tags: ["Prescriptions"],
      summary: "My prescriptions, newest first, each with its drugs and where each of its orders stands",
      description:
        "Doctors (registered practitioners, else 403): `scope=mine` (default) or `institution`. Admins: every institution's. " +
        "Filters: `status` (comma-separated), `patientId`. One round trip per page.",
      request: { query: PrescriptionListQuery },
      responses: { 200: jsonResponse(PrescriptionPage, "A page of prescriptions") },
    }),
    async (c) => c.json(await listPrescriptions(serviceContext(c), c.req.valid("query")), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "get",
      path: "/patients/{id}/renewal",
      tags: ["Prescriptions"],
      summary: "续方: the patient's last long prescription (any member institution) as a draft for today, checked against today's formulary and rules",
      description:
        "The most recent signed or completed long prescription: same diagnoses, items and fulfilment, `kind` long_term, no writtenAt; " +
        "`longTerm.firstIssue` true when re-assessment is due (an event since), the assessment and the patient's confirmation left to fill in. " +
        "`basedOn.prescriptionId` is null when that prescription is another institution's. None: 404. Nothing is signed: sign with POST /prescriptions. Audited. " +
        "`?icd10=`: the last long prescription for that condition (same ICD-10 category), for a patient with long prescriptions for several conditions.",
      request: { params: IdParam, query: RenewalQuery },
      responses: { 200: jsonResponse(Redraft, "The renewal draft and its validation"), ...problemResponses(400, 404, 422) },
    }),
    async (c) => c.json(await renewalDraft(serviceContext(c), c.req.valid("param").id, c.req.valid("query").icd10), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "get",
      path: "/prescriptions/{id}/draft",
      tags: ["Prescriptions"],
      summary: "One of the institution's prescriptions as a draft for today; with `replaces` when signing it replaces the old one",
      description:
        "`replaces` is set when the prescription came back without supply (rejected, returned, expired) or was cancelled, and nothing replaced it yet. " +
        "Doctors of the writing institution; others 404. Nothing is signed: sign with POST /prescriptions. Audited.",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Redraft, "The draft and its validation"), ...problemResponses(404, 422) },
    }),
    async (c) => c.json(await prescriptionDraft(serviceContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["doctor", "admin", "pharmacist"], {
      method: "get",
      path: "/prescriptions/{id}",
      tags: ["Prescriptions"],
      summary: "A prescription with its signature verification (doctors: own institution only)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(Prescription, "The prescription"), ...problemResponses(404) },
    }),
    async (c) => c.json(await getPrescription(await rxContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    guardedRoute(["doctor"], {
      method: "post",
      path: "/prescriptions/{id}/cancel",
      tags: ["Prescriptions"],
      summary: "Cancel a signed prescription (its own doctor, while nothing has been dispensed)",
      request: {
        params: IdParam,
        body: { content: { "application/json": { schema: z.object({ reason: z.string().trim().min(1).max(500) }).strict() } }, required: true },
      },
      responses: { 200: jsonResponse(Prescription, "Cancelled"), ...problemResponses(404, 409) },
    }),
    async (c) => c.json(await cancelPrescription(await rxContext(c), c.req.valid("param").id, c.req.valid("json").reason), 200),
  )
  .openapi(
    guardedRoute(["doctor", "admin", "pharmacist"], {
      method: "get",
      path: "/prescriptions/{id}/print",
      tags: ["Prescriptions"],
      summary: "The printed prescription (处方笺): what the A5 paper shows, and its signed QR payload",
      description:
        "Same access as GET /prescriptions/{id} (doctors: registered practitioners, own institution's prescriptions; others 404). " +
        "Drugs, doses and diagnoses as signed; the patient's name, gender and age (on the day written) from the patient record. " +
        "`qr` is verifiable offline against GET /prescription-signing-keys. Audited.",
      request: { params: IdParam },
      responses: { 200: jsonResponse(PrintedPrescription, "The printed prescription"), ...problemResponses(404) },
    }),
    async (c) => c.json(await printPrescription(await rxContext(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/prescription-signing-keys",
      tags: ["Prescriptions"],
      summary: "Public keys (JWK) that verify prescription signatures and printed QR payloads; no login",
      description:
        "Ed25519. A prescription's signature is over SHA-256(canonical content); a printed QR payload's over its `YL1.<base64url JSON>` text. " +
        "Public (no token) and cacheable (Cache-Control: public, max-age=300).",
      security: [],
      "x-roles": ["public"],
      middleware: [publicKeysCache] as const,
      responses: { 200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), "JWK set") },
    }),
    async (c) => c.json({ keys: (await getSigner(c.env)).publicKeys.map((k) => ({ ...k })) }, 200),
  );
