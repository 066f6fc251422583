import { type DriverValueEncoder, getTableName, type InferInsertModel, Param, Placeholder, sql, type Table } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "./index";

/*
 * Statements drizzle builds ONCE per isolate (issue 12: signing at a province's peak).
 * Building a query is pure CPU: a wide select or insert costs drizzle 50–150 µs to turn into
 * SQL, every time, as much as D1's own work on a small read, and a signature used to build
 * eighteen of them. A compiled statement is built the first time with named placeholders;
 * each later use only binds this request's values.
 *
 * It goes into `db.batch([...])` like any drizzle builder, and `await` runs it alone the
 * same way: drizzle's batch asks each item for `_prepare()` (the query, its D1 statement and
 * the mapping of its result rows), which here is the query prepared once, bound to the
 * request's database and values. The result rows are mapped by drizzle as before.
 */

/** The part of drizzle's prepared query a batch uses (drizzle-orm/d1 session.batch). */
interface PreparedQuery {
  query: { sql: string; params: unknown[] };
  stmt: D1PreparedStatement;
}

/** A prepared query with where each of its parameters comes from: a constant, or a named value (with its column's encoder). */
interface Template {
  prepared: PreparedQuery;
  slots: ({ value: unknown } | { name: string; encoder: DriverValueEncoder<unknown, unknown> | null })[];
}

interface Preparable {
  _prepare(): PreparedQuery;
}

/** Builds templates only: nothing prepared on it ever reaches a database. */
const templateDb = drizzle({ prepare: () => ({}) } as unknown as D1Database);
export type TemplateDb = typeof templateDb;

export type Placeholders<P extends string> = { readonly [K in P]: Placeholder<K> };
export type Values<P extends string> = { readonly [K in P]: unknown };

/**
 * The parameters of one use. Unlike drizzle's fillPlaceholders, a null stays NULL (drizzle
 * would encode it: a json column's null as the text "null"), as it does for a plain value.
 */
function fill(template: Template, values: Readonly<Record<string, unknown>>): unknown[] {
  return template.slots.map((slot) => {
    if ("value" in slot) return slot.value;
    if (!(slot.name in values)) throw new Error(`no value for placeholder "${slot.name}"`);
    const value = values[slot.name];
    return value === null || value === undefined || !slot.encoder ? (value ?? null) : slot.encoder.mapToDriverValue(value);
  });
}

/** One use of a template: its values bound, for the request's database. */
function bound<Q>(db: Db, template: Template, values: Readonly<Record<string, unknown>>): Q {
  const item = {
    _prepare(): PreparedQuery {
      const prepared = Object.create(template.prepared) as PreparedQuery;
      prepared.query = { sql: template.prepared.query.sql, params: fill(template, values) };
      prepared.stmt = db.$client.prepare(template.prepared.query.sql);
      return prepared;
    },
    /** The SQL and its parameters, as a drizzle builder's toSQL() gives them (for raw D1 batches). */
    toSQL: () => ({ sql: template.prepared.query.sql, params: fill(template, values) }),
    // awaited alone, as a drizzle builder is: a batch of one
    // biome-ignore lint/suspicious/noThenProperty: a statement is thenable, as drizzle's own are
    then<R1, R2 = never>(resolve?: (rows: unknown) => R1 | PromiseLike<R1>, reject?: (err: unknown) => R2 | PromiseLike<R2>) {
      return db.batch([item as unknown as BatchItem<"sqlite">]).then(([result]) => result).then(resolve, reject);
    },
  };
  return item as Q;
}

function prepareTemplate(builder: unknown): Template {
  const prepared = (builder as Preparable)._prepare();
  const slots = prepared.query.params.map((p) => {
    if (p instanceof Placeholder) return { name: p.name, encoder: null };
    if (p instanceof Param && p.value instanceof Placeholder) return { name: p.value.name, encoder: p.encoder };
    return { value: p };
  });
  return { prepared, slots };
}

/**
 * A statement built once, on first use, from `build` given a placeholder per name; each call
 * binds `values` to them. The statement's shape must not depend on the values (a value that
 * changes the SQL, e.g. an optional condition, is a placeholder the SQL always tests).
 */
export function compiled<P extends string, Q>(names: readonly P[], build: (db: TemplateDb, p: Placeholders<P>) => Q): (db: Db, values: Values<P>) => Q {
  let template: Template | undefined;
  return (db, values) => {
    template ??= prepareTemplate(build(templateDb, Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Placeholders<P>));
    return bound<Q>(db, template, values);
  };
}

/** A compiled insert: a batch item that also tells its SQL. */
export type CompiledInsert = BatchItem<"sqlite"> & { toSQL(): { sql: string; params: unknown[] } };

const inserts = new Map<string, Template>();

/**
 * INSERT of typed rows, built once per table, row count and set of columns given. Values are
 * encoded by each column's own driver mapping (json columns as text, booleans as 0/1), as
 * drizzle's `insert().values()` does; a column left undefined is written as drizzle writes
 * it (NULL). Every shape is kept for the isolate's life: this is for the few row counts of
 * a request's own writes (at most 8 supply lines a statement), not for bulk loads (bulk.ts).
 */
export function insertRows<T extends Table>(db: Db, table: T, rows: readonly InferInsertModel<T>[]): CompiledInsert {
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row).filter((k) => (row as Record<string, unknown>)[k] !== undefined)))].sort();
  const shape = `${getTableName(table)}|${rows.length}|${keys.join(",")}`;
  let template = inserts.get(shape);
  if (!template) {
    const placeholders = rows.map((_, i) => Object.fromEntries(keys.map((k) => [k, sql.placeholder(`${i}.${k}`)])));
    template = prepareTemplate(templateDb.insert(table).values(placeholders as InferInsertModel<T>[]));
    inserts.set(shape, template);
  }
  const values: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    for (const k of keys) values[`${i}.${k}`] = (row as Record<string, unknown>)[k] ?? null;
  });
  return bound<CompiledInsert>(db, template, values);
}
