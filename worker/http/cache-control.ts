import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

/**
 * API answers carry patient and prescription data (and errors may name ids): none may sit in
 * a browser's or a proxy's cache. A route that is public and cacheable (the signing keys)
 * sets its own Cache-Control, which is kept.
 */
export const noStoreByDefault = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
});
