import { getTableColumns, type InferSelectModel, type Table } from "drizzle-orm";

/** Maps a raw D1 row (snake_case columns, driver values) to the table's TypeScript shape. */
export function fromRawRow<T extends Table>(table: T, raw: Record<string, unknown>): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const value = raw[col.name];
    out[key] = value === null || value === undefined ? null : col.mapFromDriverValue(value);
  }
  return out as InferSelectModel<T>;
}
