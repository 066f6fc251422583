import { constraintFailed } from "../db/errors";
import { and, desc, eq, getTableColumns, isNull, lt, type SQL, sql } from "drizzle-orm";
import { formularyEntries, formularyEntryVersions, formularyImports, formularyMeta } from "../../schema";
import { BULK_MAX_PARAM_CHARS, type BoundStatement, bulkInsert } from "../db/bulk";
import type { Db } from "../db/index";
import { failIf } from "../db/guard";
import { fromRawRow } from "../db/rows";
import { type EntryRow, rowToEntry } from "./formulary.mapping";
import type { Entry } from "./formulary.schemas";
import { ftsQuery, isPinyinQuery, normalizeQuery, prefixUpperBound } from "./formulary.search";

/** The consortium formulary version as seen inside the same statement or batch. */
const CURRENT_FORMULARY_VERSION = "(SELECT version FROM formulary_meta WHERE id = 1)";

/**
 * A chunked import is being published (import-jobs.service.ts): its steps have already
 * written entries and versions that readers must not see until formulary_meta reaches the
 * job's target version. SQLite evaluates this uncorrelated EXISTS once per statement.
 */
const PUBLISHING = "EXISTS (SELECT 1 FROM formulary_import_jobs WHERE status = 'publishing')";

/** SQL: the entry row `alias` holds a version not yet published (written by a publication in progress). */
function unpublished(alias: string): string {
  return `(${PUBLISHING} AND (SELECT v.formulary_version FROM formulary_entry_versions v WHERE v.code = ${alias}.code AND v.version = ${alias}.version) > ${CURRENT_FORMULARY_VERSION})`;
}

/**
 * The columns and condition that let a reader of formulary_entries see the published list
 * only: an unpublished first version is left out, an unpublished later version is read as
 * the previous version's snapshot (kept by the publish step that overwrote it).
 */
function publishedEntrySql(alias: string): { columns: string; visible: string } {
  return {
    columns: `${alias}.*, CASE WHEN ${unpublished(alias)} THEN (SELECT p.snapshot FROM formulary_entry_versions p WHERE p.code = ${alias}.code AND p.version = ${alias}.version - 1) END AS published_snapshot`,
    visible: `NOT (${alias}.version = 1 AND ${unpublished(alias)})`,
  };
}

/** An entry as readers see it, from a row selected with publishedEntrySql's columns. */
function publishedEntryOf(raw: Record<string, unknown>): Entry {
  const current = rowToEntry(fromRawRow(formularyEntries, raw));
  return typeof raw.published_snapshot === "string" ? (versionContent(raw.published_snapshot, current) ?? current) : current;
}

/** History rows readers may see: those of published formulary versions. */
export const publishedVersionsOnly = sql`${formularyEntryVersions.formularyVersion} <= ${sql.raw(CURRENT_FORMULARY_VERSION)}`;

/** Put first in a batch that bumps the formulary version: it would publish a publication's half-written steps. */
export function refuseWhilePublishing(db: Db) {
  return failIf(db, sql.raw(PUBLISHING));
}

export const PUBLISHING_CONFLICT = "a formulary import is being published; try again when it is done";

export function entryQuery(db: Db, code: string) {
  return db.select().from(formularyEntries).where(eq(formularyEntries.code, code)).limit(1);
}

/** The entry as published (a publication in progress stays invisible). */
export async function findEntry(db: Db, code: string): Promise<Entry | null> {
  const { columns, visible } = publishedEntrySql("e");
  const rows = await db.all<Record<string, unknown>>(sql`SELECT ${sql.raw(columns)} FROM formulary_entries e WHERE e.code = ${code} AND ${sql.raw(visible)} LIMIT 1`);
  return rows[0] ? publishedEntryOf(rows[0]) : null;
}

export function formularyVersionQuery(db: Db) {
  return db.select({ version: formularyMeta.version, updatedAt: formularyMeta.updatedAt }).from(formularyMeta).where(eq(formularyMeta.id, 1));
}

export function bumpFormularyVersion(db: Db, at: string) {
  return db
    .update(formularyMeta)
    .set({ version: sql`${formularyMeta.version} + 1`, updatedAt: at })
    .where(eq(formularyMeta.id, 1));
}

export function insertEntry(db: Db, row: EntryRow) {
  return db.insert(formularyEntries).values(row);
}

/** Optimistic update: touches nothing unless the stored version is still `expected`. */
export function updateEntryIfVersion(db: Db, row: EntryRow, expected: number) {
  const { code: _code, ...changes } = row;
  return db
    .update(formularyEntries)
    .set(changes)
    .where(and(eq(formularyEntries.code, row.code), eq(formularyEntries.version, expected)));
}

export type EntryChange = "create" | "update" | "status" | "import";

type VersionRow = typeof formularyEntryVersions.$inferInsert;

function versionRow(row: EntryRow, change: EntryChange, importId: string | null): VersionRow {
  return {
    code: row.code,
    version: row.version,
    formularyVersion: 0, // replaced by CURRENT_FORMULARY_VERSION in SQL
    status: row.status,
    effectiveFrom: row.effectiveFrom,
    change,
    snapshot: null, // current: see formulary_entries; filled in when superseded
    changedAt: row.updatedAt,
    changedBy: row.updatedBy,
    importId,
  };
}

/**
 * The history row of a new version. (code, version) is the primary key: when a concurrent
 * writer has already produced this version, the insert fails and takes the whole batch
 * (the conditional update included) down with it. That is the optimistic lock.
 */
export function insertEntryVersion(db: Db, row: EntryRow, change: EntryChange) {
  return db.insert(formularyEntryVersions).values({
    ...versionRow(row, change, null),
    formularyVersion: sql.raw(CURRENT_FORMULARY_VERSION),
  });
}

/** Keeps the superseded version's content in its history row (it was read from formulary_entries until now). */
export function keepSupersededSnapshot(db: Db, previous: Entry) {
  return db
    .update(formularyEntryVersions)
    .set({ snapshot: JSON.stringify(previous) })
    .where(and(eq(formularyEntryVersions.code, previous.code), eq(formularyEntryVersions.version, previous.version), isNull(formularyEntryVersions.snapshot)));
}

/** The same for many superseded entries, as json_each statements (one bound parameter each). */
export function keepSupersededSnapshots(previous: Entry[]): BoundStatement[] {
  const sqlText = `UPDATE formulary_entry_versions SET snapshot = json_extract(j.value, '$[2]')
    FROM json_each(?) AS j
    WHERE formulary_entry_versions.code = json_extract(j.value, '$[0]') AND formulary_entry_versions.version = json_extract(j.value, '$[1]') AND formulary_entry_versions.snapshot IS NULL`;
  const statements: BoundStatement[] = [];
  let chunk: string[] = [];
  let chars = 2;
  for (const entry of previous) {
    const encoded = JSON.stringify([entry.code, entry.version, JSON.stringify(entry)]);
    if (chunk.length > 0 && chars + encoded.length + 1 > BULK_MAX_PARAM_CHARS) {
      statements.push({ sql: sqlText, params: [`[${chunk.join(",")}]`] });
      chunk = [];
      chars = 2;
    }
    chunk.push(encoded);
    chars += encoded.length + 1;
  }
  if (chunk.length) statements.push({ sql: sqlText, params: [`[${chunk.join(",")}]`] });
  return statements;
}

/** A history row's content: its snapshot, or the current entry while it is the current version. */
export function versionContent(snapshot: string | null, current: Entry | null): Entry | null {
  // snapshots taken before issue 10 have no dosing and no ingredients: null and [], as the entry's columns were then
  return snapshot ? ({ dosing: null, ingredients: [], ...JSON.parse(snapshot) } as Entry) : current;
}

export function isVersionConflict(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "formulary_entry_versions");
}

export function isDuplicateCode(err: unknown): boolean {
  return constraintFailed(err, "UNIQUE", "formulary_entries.code");
}

export function listEntryVersions(db: Db, code: string, limit: number, beforeVersion?: number) {
  return db
    .select()
    .from(formularyEntryVersions)
    .where(
      and(
        eq(formularyEntryVersions.code, code),
        publishedVersionsOnly,
        beforeVersion === undefined ? undefined : lt(formularyEntryVersions.version, beforeVersion),
      ),
    )
    .orderBy(desc(formularyEntryVersions.version))
    .limit(limit);
}

/** Existing entries for many codes, and the formulary version, in one round trip (json_each: one parameter per chunk). */
export async function findEntriesByCodes(db: Db, codes: string[]): Promise<{ entries: Map<string, Entry>; formularyVersion: number }> {
  const found = new Map<string, Entry>();
  const chunk = 20_000;
  const statements = [db.$client.prepare("SELECT version FROM formulary_meta WHERE id = 1")];
  for (let i = 0; i < codes.length; i += chunk) {
    statements.push(db.$client.prepare("SELECT * FROM formulary_entries WHERE code IN (SELECT value FROM json_each(?))").bind(JSON.stringify(codes.slice(i, i + chunk))));
  }
  const [meta, ...results] = await db.$client.batch<Record<string, unknown>>(statements);
  for (const result of results) {
    for (const raw of result.results) {
      const entry = rowToEntry(fromRawRow(formularyEntries, raw));
      found.set(entry.code, entry);
    }
  }
  return { entries: found, formularyVersion: Number(meta?.results[0]?.version ?? 0) };
}

export interface SearchParams {
  q?: string;
  status?: string;
  limit: number;
  after?: { tier: number; pinyin: string; code: string };
}

export interface SearchHit {
  entry: Entry;
  tier: number;
}

/** The match conditions of the search tiers, best first. */
function tierConditions(q: string): SQL[] {
  const conditions: SQL[] = [sql`e.code = ${q.toUpperCase()}`];
  if (isPinyinQuery(q)) {
    const upper = q.toUpperCase();
    conditions.push(sql`(e.pinyin >= ${upper} AND e.pinyin < ${prefixUpperBound(upper)})`);
  } else {
    conditions.push(sql`0`);
  }
  conditions.push(sql`(e.generic_name >= ${q} AND e.generic_name < ${prefixUpperBound(q)})`);
  const fts = ftsQuery(q);
  conditions.push(fts ? sql`e.rowid IN (SELECT rowid FROM formulary_fts WHERE formulary_fts MATCH ${fts})` : sql`0`);
  return conditions;
}

/**
 * Ranked search in one statement. Tiers: exact code (0), pinyin-initials prefix (1),
 * generic-name prefix (2), then whatever the FTS index finds (name infix, INN words, code
 * prefix) (3). Each tier excludes the earlier ones and is cut to the page size inside its
 * own subquery, so a page costs O(tiers × limit) rows however many entries match (the
 * pinyin tier walks the (pinyin, code) index in order). Keyset pagination on (tier, pinyin, code).
 */
export async function searchEntries(db: Db, p: SearchParams): Promise<SearchHit[]> {
  const q = p.q === undefined ? "" : normalizeQuery(p.q);
  const after = p.after ?? { tier: -1, pinyin: "", code: "" };
  const published = publishedEntrySql("e");
  const status = p.status ? sql` AND e.status = ${p.status}` : sql``;
  const conditions = q === "" ? [sql`1`] : tierConditions(q);
  const parts: SQL[] = [];
  conditions.forEach((condition, tier) => {
    if (tier < after.tier) return;
    const earlier = conditions.slice(0, tier).map((c) => sql` AND NOT ${c}`);
    const cursor = tier === after.tier ? sql` AND (e.pinyin, e.code) > (${after.pinyin}, ${after.code})` : sql``;
    parts.push(sql`SELECT * FROM (SELECT ${sql.raw(published.columns)}, ${sql.raw(String(tier))} AS search_tier FROM formulary_entries e
      WHERE ${condition}${sql.join(earlier, sql``)}${status}${cursor} AND ${sql.raw(published.visible)}
      ORDER BY e.pinyin, e.code LIMIT ${p.limit})`);
  });
  if (parts.length === 0) return [];
  const rows = await db.all<Record<string, unknown>>(sql`${sql.join(parts, sql` UNION ALL `)} ORDER BY search_tier, pinyin, code LIMIT ${p.limit}`);
  return rows.map((raw) => ({ entry: publishedEntryOf(raw), tier: Number(raw.search_tier) }));
}

/**
 * Statements that write an import: upserts guarded by version, then their history rows.
 * `formularyVersion`: the version the history rows belong to; by default the current one
 * (bumped earlier in the same batch), a publish step's target version otherwise.
 */
export function importStatements(rows: EntryRow[], changes: EntryChange[], importId: string, superseded: Entry[] = [], formularyVersion?: number): BoundStatement[] {
  const updatable = Object.values(getTableColumns(formularyEntries))
    .map((c) => c.name)
    .filter((name) => name !== "code");
  const upsert = bulkInsert(formularyEntries, rows, {
    onConflict: `ON CONFLICT("code") DO UPDATE SET ${updatable.map((n) => `"${n}" = excluded."${n}"`).join(", ")} WHERE formulary_entries.version = excluded.version - 1`,
  });
  const history = bulkInsert(
    formularyEntryVersions,
    rows.map((row, i) => versionRow(row, changes[i] ?? "import", importId)),
    { expressions: { formularyVersion: formularyVersion === undefined ? CURRENT_FORMULARY_VERSION : String(Math.trunc(formularyVersion)) } },
  );
  return [...keepSupersededSnapshots(superseded), ...upsert, ...history];
}

/** The import's record; its formulary version is the current one as of this point of the batch. */
export function insertImportRecord(db: Db, rec: { id: string; at: string; by: string; format: string; summary: Record<string, number> }) {
  return db.insert(formularyImports).values({ ...rec, formularyVersion: sql.raw(CURRENT_FORMULARY_VERSION) });
}
