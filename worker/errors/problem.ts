import { z } from "@hono/zod-openapi";

/**
 * The one error model: every non-2xx answer is RFC 9457 problem+json with a code from
 * this enum. The map below is exhaustive, so adding a code forces choosing its status.
 */
export const ErrorCode = z.enum([
  "bad-request",
  "validation-failed",
  "invalid-cursor",
  "unauthorized",
  "forbidden",
  "not-found",
  "method-not-allowed",
  "conflict",
  "already-exists",
  "precondition-failed",
  "precondition-required",
  "payload-too-large",
  "unsupported-media-type",
  "idempotency-key-required",
  "idempotency-key-reused",
  "unprocessable",
  "no-eligible-pharmacy",
  "too-many-attempts",
  "too-many-requests",
  "internal-error",
  "misconfigured",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

const CATALOGUE: Record<ErrorCode, { status: number; title: string }> = {
  "bad-request": { status: 400, title: "Bad request" },
  "validation-failed": { status: 400, title: "The request is not valid" },
  "invalid-cursor": { status: 400, title: "The pagination cursor is not valid" },
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Not allowed" },
  "not-found": { status: 404, title: "Not found" },
  "method-not-allowed": { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict with the current state" },
  "already-exists": { status: 409, title: "Already exists" },
  "precondition-failed": { status: 412, title: "The resource has changed" },
  "precondition-required": { status: 428, title: "If-Match is required" },
  "payload-too-large": { status: 413, title: "Request body too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  "idempotency-key-required": { status: 400, title: "Idempotency-Key header required" },
  "idempotency-key-reused": { status: 422, title: "Idempotency-Key reused with another body" },
  unprocessable: { status: 422, title: "The request cannot be processed" },
  "no-eligible-pharmacy": { status: 422, title: "No pharmacy can fulfil this prescription" },
  "too-many-attempts": { status: 409, title: "Too many attempts" },
  "too-many-requests": { status: 429, title: "Too many requests" },
  "internal-error": { status: 500, title: "Internal error" },
  misconfigured: { status: 500, title: "The service is not configured correctly" },
};

export interface ProblemIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly issues?: ProblemIssue[],
  ) {
    super(detail ?? code);
    const entry = CATALOGUE[code];
    this.status = entry.status;
    this.title = entry.title;
  }
}

/**
 * A deployment whose settings are missing or wrong. The answer never says which setting or
 * what it holds (a caller learns nothing about the configuration); `reason` names the
 * setting for the operator's log only (app.ts toProblem), never its value.
 */
export class Misconfigured extends ApiError {
  constructor(readonly reason: string) {
    super("misconfigured", "the service is not configured correctly; the operator has to fix its settings (quote the requestId)");
  }
}

/** A problem whose body already exists, e.g. a stored response replayed for an Idempotency-Key. */
export class StoredProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`stored problem ${status}`);
  }

  toResponse(requestId: string): Response {
    return new Response(JSON.stringify(this.body), {
      status: this.status,
      headers: { "content-type": "application/problem+json; charset=utf-8", "x-request-id": requestId },
    });
  }
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: ErrorCode,
    requestId: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");
export type Problem = z.infer<typeof Problem>;

export function problemBody(err: ApiError, requestId: string): Problem {
  return {
    type: `https://yaolian.dev/problems/${err.code}`,
    title: err.title,
    status: err.status,
    ...(err.detail ? { detail: err.detail } : {}),
    code: err.code,
    requestId,
    ...(err.issues?.length ? { issues: err.issues } : {}),
  };
}

export function problemResponse(err: ApiError, requestId: string, headers?: HeadersInit): Response {
  const res = new Response(JSON.stringify(problemBody(err, requestId)), {
    status: err.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "x-request-id": requestId },
  });
  if (headers) for (const [k, v] of new Headers(headers)) res.headers.set(k, v);
  return res;
}

/** zod issues as problem issues: a JSON-pointer-like dotted path and the message. */
export function issuesFromZod(error: z.ZodError, prefix = ""): ProblemIssue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join("."),
    message: i.message,
  }));
}

export function validationError(error: z.ZodError, where: string): ApiError {
  return new ApiError("validation-failed", `Invalid ${where}`, issuesFromZod(error, where === "body" ? "" : where));
}

/** Shared OpenAPI responses for the problem cases every authenticated route can produce. */
export function problemResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { "application/problem+json": { schema: typeof Problem } } }> = {};
  for (const s of [400, 401, 403, ...statuses]) {
    out[s] = { description: describeStatus(s), content: { "application/problem+json": { schema: Problem } } };
  }
  return out;
}

function describeStatus(status: number): string {
  const titles = Object.values(CATALOGUE)
    .filter((e) => e.status === status)
    .map((e) => e.title);
  return titles.join(" / ") || "Error";
}
