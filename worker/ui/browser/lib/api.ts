/** Calls to /api/v1 with the session's token; answers come back parsed, never thrown (network errors do throw). */
import { signOut, token } from "./session";
import { renderWho } from "./shell";
import type { ProblemBody } from "./types";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiOptions {
  /** sent as JSON (sets content-type) */
  json?: unknown;
  /** sent as it is, with the content-type given in headers */
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A 2xx answer with its parsed body (typed by the caller: the server is trusted to send
 * what the OpenAPI document says), or an error with its problem+json body when it has one.
 */
export type ApiResult<T> =
  | { ok: true; status: number; body: T; headers: Headers }
  | { ok: false; status: number; body: ProblemBody | null; headers: Headers };

/** `api<Page<Entry>>("GET", "/formulary/drugs?q=ASPL")`; a 401 signs the tab out. */
export async function api<T = unknown>(method: Method, path: string, opts: ApiOptions = {}): Promise<ApiResult<T>> {
  const headers = new Headers(opts.headers);
  const bearer = token();
  if (bearer) headers.set("authorization", `Bearer ${bearer}`);
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers.set("content-type", "application/json");
  }
  const res = await fetch(`/api/v1${path}`, { method, headers, body, signal: opts.signal });
  const text = await res.text();
  let data: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (res.status === 401) {
    signOut();
    renderWho();
  }
  if (res.ok) return { ok: true, status: res.status, body: data as T, headers: res.headers };
  const problem = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as ProblemBody) : null;
  return { ok: false, status: res.status, body: problem, headers: res.headers };
}

/** A random UUID, e.g. for an Idempotency-Key (crypto.randomUUID exists in secure contexts only; plain http on a LAN address is not one). */
export function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
