import { drizzle } from "drizzle-orm/d1";

/**
 * Drizzle over a D1 binding or session, one per request. Without the schema: nothing here
 * uses drizzle's relational queries (db.query.*), and with it every request paid for
 * drizzle extracting the relations of every table (~1.5% of a signature's CPU, issue 12).
 */
export function getDb(d1: D1Database) {
  return drizzle(d1);
}
export type Db = ReturnType<typeof getDb>;
