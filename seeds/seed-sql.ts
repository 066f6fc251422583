import type { Table } from "drizzle-orm";
import * as schema from "../schema";
import { type BoundStatement, bulkInsert } from "../worker/db/bulk";
import { entryToRow } from "../worker/formulary/formulary.mapping";
import { importStatements } from "../worker/formulary/formulary.repo";
import type { EntryContent } from "../worker/formulary/formulary.schemas";
import type { DemoConsortium } from "./demo-consortium";
import { SEED_INTERACTIONS } from "./interactions";

export const SEED_ACTOR = "seed";
export const SEED_IMPORT_ID = "seed-neml-2026";

/**
 * The statements that load a seed into an empty database: members in foreign-key order,
 * then the formulary as version 1 of every entry (formulary version 1), with one import
 * record and one audit row. The same statements serve `npm start` (inlined into a SQL
 * file for `wrangler d1 execute`) and the tests (bound and batched into D1).
 */
export function seedStatements(entries: EntryContent[], consortium: DemoConsortium, at: string): BoundStatement[] {
  const members: [Table, object[]][] = [
    [schema.institutions, consortium.institutions],
    [schema.practitioners, consortium.practitioners],
    [schema.specialtyConditions, consortium.specialtyConditions],
    [schema.patients, consortium.patients],
    [schema.patientConditions, consortium.patientConditions],
    [schema.patientAllergies, consortium.patientAllergies],
    [schema.patientEvents, consortium.patientEvents],
    [schema.pharmacies, consortium.pharmacies],
    [schema.pharmacySites, consortium.pharmacySites],
    [schema.pharmacists, consortium.pharmacists],
    [schema.interactions, interactionRows(at)],
  ];
  const rows = entries.map((e) => entryToRow(e, { version: 1, updatedAt: at, updatedBy: SEED_ACTOR }));
  const summary = JSON.stringify({ total: rows.length, created: rows.length, updated: 0, unchanged: 0, rejected: 0 });
  return [
    ...members.flatMap(([table, data]) => bulkInsert(table, data as never[])),
    { sql: "UPDATE formulary_meta SET version = version + 1, updated_at = ? WHERE id = 1", params: [at] },
    ...importStatements(rows, rows.map(() => "create"), SEED_IMPORT_ID),
    {
      sql: "INSERT INTO formulary_imports (id, at, by, format, formulary_version, summary) VALUES (?, ?, ?, 'seed', (SELECT version FROM formulary_meta WHERE id = 1), ?)",
      params: [SEED_IMPORT_ID, at, SEED_ACTOR, summary],
    },
    {
      sql: "INSERT INTO audit_events (at, actor_id, actor_role, actor_org, action, entity_type, entity_id, after) VALUES (?, ?, 'system', 'system', 'seed.load', 'formulary_import', ?, ?)",
      params: [at, SEED_ACTOR, SEED_IMPORT_ID, summary],
    },
  ];
}

function interactionRows(at: string): (typeof schema.interactions.$inferInsert)[] {
  return SEED_INTERACTIONS.map((i) => ({
    id: i.id,
    aAtcPrefix: i.a.atcPrefix ?? null,
    aName: i.a.name ?? null,
    bAtcPrefix: i.b.atcPrefix ?? null,
    bName: i.b.name ?? null,
    severity: i.severity,
    note: i.note,
    source: i.source,
    updatedAt: at,
    updatedBy: SEED_ACTOR,
  }));
}

function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** A statement as literal SQL, for a seed file run by `wrangler d1 execute --file`. */
export function inlineStatement(s: BoundStatement): string {
  let i = 0;
  let quoted: string | null = null;
  let out = "";
  for (const ch of s.sql) {
    if (quoted) {
      if (ch === quoted) quoted = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quoted = ch;
      out += ch;
    } else if (ch === "?") {
      out += sqlLiteral(s.params[i++]);
    } else {
      out += ch;
    }
  }
  return `${out};`;
}
