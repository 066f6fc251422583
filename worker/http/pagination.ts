import { z } from "@hono/zod-openapi";
import { ApiError } from "./problem";

export const MAX_PAGE_SIZE = 100;

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).openapi({ description: `1..${MAX_PAGE_SIZE}` }),
  cursor: z.string().max(512).optional().openapi({ description: "opaque cursor from the previous page's nextCursor" }),
};

/** Cursors are opaque base64url JSON: callers must not build them, servers must validate them. */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    const bin = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const json = new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
    const parsed = schema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
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
