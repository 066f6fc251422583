import { fromBase64Url, toBase64Url } from "../lib/encoding";
import { z } from "@hono/zod-openapi";
import { ApiError } from "../errors/problem";

export const MAX_PAGE_SIZE = 100;

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).openapi({ description: `1..${MAX_PAGE_SIZE}` }),
  cursor: z.string().max(512).optional().openapi({ description: "opaque cursor from the previous page's nextCursor" }),
};

/** Cursors are opaque base64url JSON: callers must not build them, servers must validate them. */
export function encodeCursor(value: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    const bytes = fromBase64Url(cursor);
    const parsed = bytes && schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (parsed?.success) return parsed.data;
  } catch {
    // fall through: a malformed cursor is always the client's error
  }
  throw new ApiError("invalid-cursor", "the cursor is malformed or from another listing");
}

/** Fetch limit + 1 rows; the extra row only tells whether another page exists. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => unknown) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null;
  return { items, nextCursor };
}

export const PageMeta = { nextCursor: z.string().nullable() };
