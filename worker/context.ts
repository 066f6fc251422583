import type { Context } from "hono";
import type { Db } from "./db/index";
import { requestDb } from "./db/tenancy";
import type { Principal } from "./http/auth";
import type { AppEnv } from "./http/context";
import { type RateLimiter, rateLimiterFor } from "./http/rate-limit";

/** What a service needs from the request: its dependencies, passed in so services test without Hono. */
export interface Ctx {
  db: Db;
  actor: Principal;
  requestId: string;
  now: Date;
  /** the request's rate limiter (bindings where configured, else D1); a service called without one (a test, a script) is not limited */
  limiter?: RateLimiter;
}

/**
 * Who writes the audit rows, timeline events and stamps when no user acts: the queue
 * consumers and the cron (which also finishes a formulary import left half-published). The
 * token roles know no "system"; the sub says who it is, the event's source says how.
 */
export const SYSTEM_ACTOR: Principal = { sub: "system:yaolian", role: "admin", org: "system", name: "YaoLian scheduler" };

export function serviceContext(c: Context<AppEnv>): Ctx {
  const db = requestDb(c);
  return { db, actor: c.get("principal"), requestId: c.get("requestId"), now: new Date(), limiter: rateLimiterFor(c.env, db) };
}
