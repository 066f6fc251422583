import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

/**
 * `Server-Timing: app;dur=<ms>, start;desc=<epoch ms>` on every answer when the environment
 * sets SERVER_TIMING=1 (the bench does; production and the demo do not, so no client learns
 * the server's timings). `app` is the time inside the worker, from its first middleware to
 * its answer; `start` is when the worker began, so a client can tell the time its request
 * waited before the worker saw it (in a queue, on a connection) from the worker's own time.
 * Workers' clocks move only between I/O, so both are as exact as that allows.
 */
export const serverTiming = createMiddleware<AppEnv>(async (c, next) => {
  if (c.env.SERVER_TIMING !== "1") return next();
  const start = Date.now();
  await next();
  c.res.headers.append("Server-Timing", `app;dur=${Date.now() - start}, start;desc=${start}`);
});

/** The worker's own time and start out of a Server-Timing header written by `serverTiming`. */
export function parseServerTiming(header: string | string[] | undefined): { appMs: number; startMs: number } | null {
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  const app = /\bapp;dur=(\d+(?:\.\d+)?)/.exec(text);
  const start = /\bstart;desc=(\d+)/.exec(text);
  return app && start ? { appMs: Number(app[1]), startMs: Number(start[1]) } : null;
}
