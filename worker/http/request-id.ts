import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

/**
 * Every request's id is generated here, never taken from the client: it is written into
 * audit rows (and the due list finds its own audit row by it), so a client-chosen id could
 * make one request's rows pass for another's. The id is answered in X-Request-Id and in
 * every problem body.
 */
export const serverRequestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
});
