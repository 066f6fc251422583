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

/*
 * Read-your-writes across pages: every answer carries the D1 session's bookmark
 * (worker/db/session.ts), kept in this tab's sessionStorage and sent with the next call, so
 * a read served by a replica is at least as new as what this user last wrote or saw.
 */
const BOOKMARK_KEY = "yaolian.d1Bookmark";
const BOOKMARK_HEADER = "x-d1-bookmark";
/** D1's bookmarks today: fixed-width hex groups, which compare in order as strings. */
const ORDERED_BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** Keeps the newer of two bookmarks: an earlier, slower answer must not take a later write's bookmark back. */
function keepBookmark(next: string | null): void {
  if (!next) return;
  const held = sessionStorage.getItem(BOOKMARK_KEY);
  if (held && ORDERED_BOOKMARK.test(held) && ORDERED_BOOKMARK.test(next) && held >= next) return;
  sessionStorage.setItem(BOOKMARK_KEY, next);
}

/** `api<Page<Entry>>("GET", "/formulary/drugs?q=ASPL")`; a 401 signs the tab out. */
export async function api<T = unknown>(method: Method, path: string, opts: ApiOptions = {}): Promise<ApiResult<T>> {
  const headers = new Headers(opts.headers);
  const bearer = token();
  if (bearer) headers.set("authorization", `Bearer ${bearer}`);
  const bookmark = sessionStorage.getItem(BOOKMARK_KEY);
  if (bookmark) headers.set(BOOKMARK_HEADER, bookmark);
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers.set("content-type", "application/json");
  }
  const res = await fetch(`/api/v1${path}`, { method, headers, body, signal: opts.signal });
  const text = await res.text();
  keepBookmark(res.headers.get(BOOKMARK_HEADER));
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
  // a bookmark the server no longer takes is dropped, so one bad value does not fail every call of the tab
  if (res.status === 400 && problem?.detail?.includes(BOOKMARK_HEADER)) sessionStorage.removeItem(BOOKMARK_KEY);
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
