/**
 * `npx tsx bench/drizzle-build.ts`: what turning a query into SQL costs drizzle, each time,
 * against a compiled statement (worker/db/compiled.ts) built once and only bound per use.
 * Pure CPU in node, no database: the statements are the rule context's and signing's own
 * shapes (a wide select of formulary_entries, a select by primary key, the prescription's
 * insert). Microseconds per `_prepare()` (what drizzle's batch calls per statement).
 */
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { formularyEntries, prescriptions } from "../schema";
import { compiled, insertRows } from "../worker/db/compiled";
import type { Db } from "../worker/db/index";
import { table } from "./harness.ts";

interface Preparable {
  _prepare(): unknown;
}
const db = drizzle({ prepare: () => ({ bind: () => ({}) }) } as unknown as D1Database) as unknown as Db;
const codes = JSON.stringify(["W185-01", "W310-02"]);
const row: typeof prescriptions.$inferSelect = {
  id: "rx-1",
  patientId: "pat-001",
  prescriberId: "doc-1",
  institutionId: "inst-county",
  kind: "normal",
  writtenAt: "2026-12-07T08:00:00.000Z",
  days: 7,
  longTermFirstIssue: null,
  status: "signed",
  content: "{}",
  contentHash: "h",
  signature: "s",
  signatureKeyId: "k",
  formularyVersion: 1,
  findings: [],
  createdAt: "2026-12-07T08:00:00.000Z",
  cancelledAt: null,
  cancelledBy: null,
  cancelReason: null,
  replaces: null,
  replacedBy: null,
  version: 1,
};

/** µs per call, after a warm-up. */
function micros(f: () => unknown, n = 20_000): number {
  for (let i = 0; i < 2_000; i++) f();
  const started = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - started) / n) * 1000;
}

const entriesByCodes = compiled(["codes"], (t, p) => t.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${p.codes}))`));
const rxById = compiled(["id"], (t, p) => t.select().from(prescriptions).where(eq(prescriptions.id, p.id)).limit(1));
const prepare = (q: unknown) => (q as Preparable)._prepare();

const rows = [
  {
    statement: "select formulary_entries by codes",
    drizzle: micros(() => prepare(db.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${codes}))`))),
    compiled: micros(() => prepare(entriesByCodes(db, { codes }))),
  },
  {
    statement: "select prescription by id",
    drizzle: micros(() => prepare(db.select().from(prescriptions).where(eq(prescriptions.id, "rx-1")).limit(1))),
    compiled: micros(() => prepare(rxById(db, { id: "rx-1" }))),
  },
  {
    statement: "insert prescription",
    drizzle: micros(() => prepare(db.insert(prescriptions).values(row))),
    compiled: micros(() => prepare(insertRows(db, prescriptions, [row]))),
  },
];
console.log(
  table(
    ["statement", "drizzle µs", "compiled µs"],
    rows.map((r) => [r.statement, r.drizzle.toFixed(1), r.compiled.toFixed(1)]),
  ),
);
