import { createRoute, OpenAPIHono, type RouteConfig, type z } from "@hono/zod-openapi";
import { authenticate, type Role, requireRole } from "./auth";
import type { AppEnv } from "./context";
import { problemResponses, validationError } from "../errors/problem";

/** A sub-app whose request validation failures become problem+json like every other error. */
export function openApiApp() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target === "json" ? "body" : result.target);
    },
  });
}

/**
 * Every API route declares who may call it: authentication and the role guard run before
 * validation, the roles are published in the OpenAPI document as `x-roles`, and the
 * shared problem responses are documented.
 */
export function guardedRoute<P extends string, R extends Omit<RouteConfig, "path"> & { path: P }>(
  roles: readonly Role[],
  config: R,
) {
  return createRoute({
    ...config,
    middleware: [authenticate, requireRole(...roles)] as const,
    security: [{ bearerAuth: [] }],
    "x-roles": roles,
    responses: { ...problemResponses(), ...config.responses },
  });
}

/** An OpenAPI JSON response from a zod schema. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** A required OpenAPI JSON request body from a zod schema. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
