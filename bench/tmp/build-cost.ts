import { drizzle } from "drizzle-orm/d1";
import { sql, eq } from "drizzle-orm";
import { formularyEntries, prescriptions, orders, auditEvents, prescriptionItems } from "../../schema";
const fake = { prepare: (q: string) => ({ bind: (...a: unknown[]) => ({ q, a }) }) } as never;
const db = drizzle(fake);
const codes = JSON.stringify(["a", "b"]);
function time(name: string, f: () => unknown) {
  for (let i = 0; i < 2000; i++) f();
  const t = performance.now(); const N = 20000;
  for (let i = 0; i < N; i++) f();
  console.log(name, (((performance.now() - t) / N) * 1000).toFixed(1), "µs");
}
time("select entries toSQL", () => db.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${codes}))`).toSQL());
time("select entries _prepare", () => (db.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${codes}))`) as any)._prepare());
const row: any = { id: "rx", patientId: "p", prescriberId: "d", institutionId: "i", kind: "normal", writtenAt: "x", days: 7, longTermFirstIssue: null, status: "signed", content: "{}", contentHash: "h", signature: "s", signatureKeyId: "k", formularyVersion: 1, findings: [], createdAt: "x", cancelledAt: null, cancelledBy: null, cancelReason: null, replaces: null, replacedBy: null, version: 1 };
time("insert prescriptions _prepare", () => (db.insert(prescriptions).values(row) as any)._prepare());
time("select rx by id", () => (db.select().from(prescriptions).where(eq(prescriptions.id, "x")).limit(1) as any)._prepare());
import { insertRows, compiled } from "../../worker/db/compiled";
time("insertRows prescriptions _prepare", () => (insertRows(db as any, prescriptions, [row]) as any)._prepare());
const q = compiled(["codes"], (d, p) => d.select().from(formularyEntries).where(sql`${formularyEntries.code} IN (SELECT value FROM json_each(${p.codes}))`));
time("compiled select entries _prepare", () => (q(db as any, { codes }) as any)._prepare());
