import { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { institutions, pharmacies, pharmacists, practitioners } from "../../schema";
import type { Db } from "../db/index";
import { requestConsortium, requestDb } from "../db/tenancy";
import type { Bindings } from "../env";
import { type Principal, Role } from "./auth";
import type { AppEnv } from "./context";
import { devAuthEnabled } from "./dev-auth";
import { signDevToken } from "./dev-token";
import { ApiError, validationError } from "../errors/problem";

/**
 * Development sign-in for the web pages: pick a demo user, get an HS256 token. It exists
 * only where the API itself accepts dev tokens (devAuthEnabled in dev-auth.ts: DEV_LOGIN=1,
 * never in production, never once an identity provider is configured, the published
 * example secret only on this machine). Elsewhere the route answers 404 exactly like an
 * unknown route, so its existence does not leak.
 *
 * This module reads the member tables itself: it is a development tool, not a service
 * the product depends on.
 */
export function devLoginEnabled(c: { env: Bindings; req: { url: string } }): boolean {
  return devAuthEnabled(c.env, c.req.url);
}

/** Admins have no table (seeds/README.md "Admins"); keep in step with DEMO_ADMINS in seeds/demo-consortium.ts. */
export const DEV_ADMINS: readonly { id: string; name: string; institutionId: string }[] = [
  { id: "admin-county", name: "刘建军", institutionId: "inst-county" },
  { id: "admin-chengguan", name: "宋晓燕", institutionId: "inst-chengguan" },
];

export const DEV_TOKEN_TTL_SECONDS = 8 * 60 * 60;

export interface DevUser {
  role: Role;
  sub: string;
  name: string;
  org: string;
  orgName: string;
  /** title, plus specialties for doctors (API enum values) */
  title: string;
  specialties: string[];
}

/** Every user a developer may sign in as: practitioners and pharmacists from D1, the demo admins. */
export async function listDevUsers(db: Db): Promise<DevUser[]> {
  // Four plain selects joined here: drizzle's D1 batch maps rows by column name, so joined
  // selects with two `name` columns would collide inside a batch.
  const [doctors, staff, insts, pharms] = await db.batch([
    db.select().from(practitioners).orderBy(asc(practitioners.institutionId), asc(practitioners.id)),
    db.select().from(pharmacists).orderBy(asc(pharmacists.pharmacyId), asc(pharmacists.id)),
    db.select({ id: institutions.id, name: institutions.name }).from(institutions),
    db.select({ id: pharmacies.id, name: pharmacies.name }).from(pharmacies),
  ]);
  const instName = new Map(insts.map((i) => [i.id, i.name]));
  const pharmName = new Map(pharms.map((p) => [p.id, p.name]));
  return [
    ...doctors.map((d) => ({
      role: "doctor" as const,
      sub: d.id,
      name: d.name,
      org: d.institutionId,
      orgName: instName.get(d.institutionId) ?? d.institutionId,
      title: d.title,
      specialties: d.specialties,
    })),
    ...staff.map((p) => ({
      role: "pharmacist" as const,
      sub: p.id,
      name: p.name,
      org: p.pharmacyId,
      orgName: pharmName.get(p.pharmacyId) ?? p.pharmacyId,
      title: p.title,
      specialties: [],
    })),
    ...DEV_ADMINS.filter((a) => instName.has(a.institutionId)).map((a) => ({
      role: "admin" as const,
      sub: a.id,
      name: a.name,
      org: a.institutionId,
      orgName: instName.get(a.institutionId) ?? a.institutionId,
      title: "admin",
      specialties: [],
    })),
  ];
}

/** The registered user behind (role, sub, org), or a 422 saying what does not match. */
export async function findDevUser(db: Db, role: Role, sub: string, org: string): Promise<Principal> {
  const mismatch = (detail: string) => new ApiError("unprocessable", detail, [{ path: "sub", message: detail }]);
  if (role === "doctor") {
    const [row] = await db.select({ name: practitioners.name, org: practitioners.institutionId }).from(practitioners).where(eq(practitioners.id, sub));
    if (!row) throw mismatch(`no practitioner ${sub}`);
    if (row.org !== org) throw mismatch(`practitioner ${sub} does not work at institution ${org}`);
    return { role, sub, org, name: row.name };
  }
  if (role === "pharmacist") {
    const [row] = await db.select({ name: pharmacists.name, org: pharmacists.pharmacyId }).from(pharmacists).where(eq(pharmacists.id, sub));
    if (!row) throw mismatch(`no pharmacist ${sub}`);
    if (row.org !== org) throw mismatch(`pharmacist ${sub} does not work at pharmacy ${org}`);
    return { role, sub, org, name: row.name };
  }
  const admin = DEV_ADMINS.find((a) => a.id === sub);
  if (!admin) throw mismatch(`no admin ${sub}`);
  if (admin.institutionId !== org) throw mismatch(`admin ${sub} belongs to institution ${admin.institutionId}, not ${org}`);
  const [inst] = await db.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, org));
  if (!inst) throw mismatch(`no institution ${org}`);
  return { role, sub, org, name: admin.name };
}

const TokenRequest = z.object({ role: Role, sub: z.string().min(1).max(64), org: z.string().min(1).max(64) }).strict();

/** Not part of the OpenAPI document: it is not an API of the product, only of a development machine. */
export const devLoginRoutes = new Hono<AppEnv>().post("/dev/token", async (c) => {
  if (!devLoginEnabled(c) || !c.env.AUTH_DEV_SECRET) throw new ApiError("not-found", `no route for ${c.req.method} ${c.req.path}`);
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError("bad-request", "send a JSON body { role, sub, org }");
  }
  const parsed = TokenRequest.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, "body");
  const { role, sub, org } = parsed.data;
  const principal = await findDevUser(requestDb(c), role, sub, org);
  // the token names the consortium of the host it was asked at, and only opens that one
  const token = await signDevToken(c.env.AUTH_DEV_SECRET, principal, `${DEV_TOKEN_TTL_SECONDS}s`, requestConsortium(c).id);
  c.header("Cache-Control", "no-store");
  return c.json({ token, tokenType: "Bearer", expiresIn: DEV_TOKEN_TTL_SECONDS, principal }, 200);
});
