import { env, exports } from "cloudflare:workers";
import { DEFAULT_CONSORTIUM } from "../../worker/db/tenancy";
import type { Role } from "../../worker/http/auth";
import { signDevToken } from "../../worker/http/dev-token";

export const BASE = "http://yaolian.test/api/v1";

/** A dev token; `consortium` is its `cons` claim (worker/db/tenancy.ts), the demo consortium unless a test names another. */
export function tokenFor(role: Role, sub = `${role}-1`, org = "inst-county", secret = env.AUTH_DEV_SECRET ?? "", consortium = DEFAULT_CONSORTIUM.id) {
  return signDevToken(secret, { role, sub, org, name: `${role} ${sub}` }, undefined, consortium);
}

export interface ApiCall {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface ApiResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the worker through its real fetch handler (workerd, real D1). */
export async function api<T = unknown>(method: string, path: string, call: ApiCall = {}): Promise<ApiResult<T>> {
  const headers = new Headers(call.headers);
  if (call.token) headers.set("authorization", `Bearer ${call.token}`);
  let body: string | undefined = call.rawBody;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body }));
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, headers: res.headers, body: (type.includes("json") && text ? JSON.parse(text) : text) as T };
}

export const asAdmin = () => tokenFor("admin", "admin-county", "inst-county");
export const asDoctor = () => tokenFor("doctor", "doc-shimen-gp-intermediate", "inst-shimen");
export const asPharmacist = () => tokenFor("pharmacist", "ph-cloud-1", "pharm-cloud");
