import { getTableColumns, getTableName, type InferInsertModel, type Table } from "drizzle-orm";

/** A statement with its bound values, ready for D1's prepare().bind() and batch(). */
export interface BoundStatement {
  sql: string;
  params: unknown[];
}

/** D1 accepts at most 100 bound parameters per statement. */
export const D1_MAX_PARAMS = 100;
/**
 * Rows per bulk statement, at most. Rows travel as ONE JSON parameter read back with
 * json_each, so a statement binds 1 parameter whatever its row count; a chunk also closes
 * once its JSON reaches BULK_MAX_PARAM_CHARS, well under D1's 2 MB value limit.
 */
export const BULK_ROWS_PER_STATEMENT = 1000;
export const BULK_MAX_PARAM_CHARS = 900_000;

export interface BulkInsertOptions {
  /** SQL appended after the insert, e.g. an ON CONFLICT upsert clause. */
  onConflict?: string;
  rowsPerStatement?: number;
  /** SQL expressions computed in the statement instead of taken from the row (e.g. a subquery). */
  expressions?: Partial<Record<string, string>>;
  /**
   * Text columns (by key) whose values are JSON text already: embedded in the statement's
   * JSON as they are, not as escaped strings (a staged import row carries ~1 KB of JSON,
   * escaped twice on its way to D1 otherwise), and stored as SQLite's rendering of it.
   */
  jsonText?: readonly string[];
}

/**
 * Multi-row insert of typed rows as json_each statements. Each row is encoded with the
 * column's own driver mapping (booleans as 0/1, json columns as text), positionally.
 */
export function bulkInsert<T extends Table>(table: T, rows: InferInsertModel<T>[], opts: BulkInsertOptions = {}): BoundStatement[] {
  const columns = Object.entries(getTableColumns(table));
  const names = columns.map(([, col]) => `"${col.name}"`).join(", ");
  const embedded = new Set(opts.jsonText);
  // `->` returns an embedded value as JSON text; a JSON null is SQL NULL
  const extract = (key: string, i: number) => (embedded.has(key) ? `NULLIF(value -> '$[${i}]', 'null')` : `json_extract(value, '$[${i}]')`);
  const extracts = columns.map(([key], i) => opts.expressions?.[key] ?? extract(key, i)).join(", ");
  // "WHERE true" disambiguates INSERT ... SELECT from the ON CONFLICT clause (SQLite grammar).
  const sql = `INSERT INTO "${getTableName(table)}" (${names}) SELECT ${extracts} FROM json_each(?) WHERE true ${opts.onConflict ?? ""}`.trim();
  const maxRows = opts.rowsPerStatement ?? BULK_ROWS_PER_STATEMENT;
  const statements: BoundStatement[] = [];
  let chunk: string[] = [];
  let chars = 2;
  const flush = () => {
    if (chunk.length) statements.push({ sql, params: [`[${chunk.join(",")}]`] });
    chunk = [];
    chars = 2;
  };
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    const values = columns.map(([key, col]) => {
      const value = record[key];
      if (value === undefined || value === null) return "null";
      return embedded.has(key) ? String(value) : JSON.stringify(col.mapToDriverValue(value));
    });
    const encoded = `[${values.join(",")}]`;
    if (chunk.length >= maxRows || (chunk.length > 0 && chars + encoded.length + 1 > BULK_MAX_PARAM_CHARS)) flush();
    chunk.push(encoded);
    chars += encoded.length + 1;
  }
  flush();
  return statements;
}

/** Count of `?` placeholders outside string literals: must equal params.length. */
export function placeholderCount(sql: string): number {
  let count = 0;
  let quoted: string | null = null;
  for (const ch of sql) {
    if (quoted) {
      if (ch === quoted) quoted = null;
    } else if (ch === "'" || ch === '"') quoted = ch;
    else if (ch === "?") count++;
  }
  return count;
}

export function prepare(d1: D1Database, s: BoundStatement): D1PreparedStatement {
  return d1.prepare(s.sql).bind(...s.params);
}
