import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";
import { ApiError } from "../errors/problem";

export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** The one-shot import's 10k rows (MAX_ONE_SHOT_ROWS) are about 5 MB as JSON; bigger files go in 1 MiB chunks through import jobs. */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;
/** A status callback is one small event; its body is read only once its sender is known (callbacks.routes.ts). */
export const CALLBACK_BODY_LIMIT = 16 * 1024;

/** The one route with the large limit (the whole path: no other path ending in /imports). */
const IMPORT_ROUTE = "/api/v1/formulary/imports";
/** Routes that read their body themselves, capped, after checking who sent it. */
const SELF_LIMITED = /^\/api\/v1\/pharmacy-callbacks\/[^/]+$/;
/** Chunks of a formulary import job: read capped by their route (formulary/import-jobs.routes.ts, 1 MiB). */
const IMPORT_CHUNK = /^\/api\/v1\/formulary\/import-jobs\/[^/]+\/chunks\/[^/]+$/;

const tooLarge = (max: number) => new ApiError("payload-too-large", `the body exceeds ${max} bytes`);
const defaultLimit = bodyLimit({
  maxSize: DEFAULT_BODY_LIMIT,
  onError: () => {
    throw tooLarge(DEFAULT_BODY_LIMIT);
  },
});
const importLimit = bodyLimit({
  maxSize: IMPORT_BODY_LIMIT,
  onError: () => {
    throw tooLarge(IMPORT_BODY_LIMIT);
  },
});

/** Caps every request body; the formulary import gets a larger cap, pharmacy callbacks their own (smaller) one. */
export const limitBody = createMiddleware<AppEnv>((c, next) => {
  if (c.req.method === "POST" && SELF_LIMITED.test(c.req.path)) return next();
  if (c.req.method === "PUT" && IMPORT_CHUNK.test(c.req.path)) return next();
  return c.req.method === "POST" && c.req.path === IMPORT_ROUTE ? importLimit(c, next) : defaultLimit(c, next);
});

/**
 * The request's body, read as a stream and abandoned as soon as it exceeds `max` bytes
 * (413), or refused unread when its declared length already does.
 */
export async function readBodyCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw tooLarge(max);
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
