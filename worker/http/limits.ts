import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";
import { ApiError } from "../errors/problem";

export const DEFAULT_BODY_LIMIT = 256 * 1024;
/** A bulk import of 100k entries as JSON is about 40 MB; Workers accept 100 MB. */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

const tooLarge = (max: number) => () => {
  throw new ApiError("payload-too-large", `the body exceeds ${max} bytes`);
};
const defaultLimit = bodyLimit({ maxSize: DEFAULT_BODY_LIMIT, onError: tooLarge(DEFAULT_BODY_LIMIT) });
const importLimit = bodyLimit({ maxSize: IMPORT_BODY_LIMIT, onError: tooLarge(IMPORT_BODY_LIMIT) });

/** Caps every request body; bulk endpoints get a larger cap. */
export const limitBody = createMiddleware<AppEnv>((c, next) =>
  c.req.path.endsWith("/imports") ? importLimit(c, next) : defaultLimit(c, next),
);
