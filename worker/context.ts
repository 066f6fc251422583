import type { Context } from "hono";
import { type Db, getDb } from "./db/index";
import type { Principal } from "./http/auth";
import type { AppEnv } from "./http/context";

/** What a service needs from the request: its dependencies, passed in so services test without Hono. */
export interface Ctx {
  db: Db;
  actor: Principal;
  requestId: string;
  now: Date;
}

export function serviceContext(c: Context<AppEnv>): Ctx {
  return { db: getDb(c.env.DB), actor: c.get("principal"), requestId: c.get("requestId"), now: new Date() };
}
