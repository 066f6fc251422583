import { parseIfMatchVersion } from "../http/if-match";
import { auditStatement } from "../audit/audit.repo";
import { chinaDate } from "../lib/clock";
import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import { contentOf, entryToRow, nextEffectiveFrom, rowToEntry, sameContent } from "./formulary.mapping";
import {
  bumpFormularyVersion,
  type EntryChange,
  entryQuery,
  findEntry,
  formularyVersionQuery,
  insertEntry,
  insertEntryVersion,
  keepSupersededSnapshot,
  isDuplicateCode,
  isVersionConflict,
  listEntryVersions,
  PUBLISHING_CONFLICT,
  refuseWhilePublishing,
  type SearchParams,
  searchEntries,
  updateEntryIfVersion,
  versionContent,
} from "./formulary.repo";
import { type Entry, type EntryContent, type EntryInput, type EntryPatch, entryConsistencyIssues } from "./formulary.schemas";
import { pinyinInitials } from "./formulary.search";

/** Effective dates are China dates. */
export const today = chinaDate;

/**
 * Fills what an input may omit (pinyin, effective date) and checks cross-field rules.
 * `input` has passed its schema (EntryInput, or stored content merged with an EntryPatch),
 * so only what it may omit is filled in and the cross-field rules are checked: parsing it
 * again would double the cost of a 100k-row import. `language`: of the rules' messages
 * (the import report's are Chinese).
 */
export function completeEntry(input: EntryInput, previousEffectiveFrom: string | undefined, now: Date, language: "en" | "zh" = "en"): EntryContent {
  const content: EntryContent = {
    ...input,
    // derived only when absent: an explicit value (a fixed polyphone, say) wins
    pinyin: input.pinyin ?? pinyinInitials(input.genericName),
    effectiveFrom: nextEffectiveFrom(previousEffectiveFrom, input.effectiveFrom, today(now)),
  };
  const issues = entryConsistencyIssues(content, language);
  if (issues.length) throw new ApiError("validation-failed", "The entry is not consistent", issues);
  return content;
}

/**
 * The next content of an entry, or null when the candidate changes nothing. A change
 * without its own date takes effect today, or with a still-pending later version.
 */
export function reviseEntry(current: Entry, candidate: EntryInput, now: Date): EntryContent | null {
  const before = contentOf(current);
  const content = completeEntry({ ...candidate, effectiveFrom: candidate.effectiveFrom ?? before.effectiveFrom }, undefined, now);
  if (sameContent(before, content)) return null;
  if (candidate.effectiveFrom === undefined) content.effectiveFrom = nextEffectiveFrom(before.effectiveFrom, undefined, today(now));
  return content;
}

export async function getEntry(ctx: Pick<Ctx, "db">, code: string): Promise<Entry> {
  const entry = await findEntry(ctx.db, code.toUpperCase());
  if (!entry) throw new ApiError("not-found", `no formulary entry ${code}`);
  return entry;
}

export async function getFormularyVersion(ctx: Pick<Ctx, "db">) {
  const [row] = await formularyVersionQuery(ctx.db);
  return row ?? { version: 0, updatedAt: new Date(0).toISOString() };
}

export async function findEntries(ctx: Pick<Ctx, "db">, params: SearchParams) {
  return searchEntries(ctx.db, { ...params, limit: params.limit + 1 });
}

export interface WriteResult {
  entry: Entry;
  formularyVersion: number;
}

/** One batch: bump the formulary version, write the entry and its history row, audit, read back the version. */
export async function createEntry(ctx: Ctx, input: EntryInput): Promise<WriteResult> {
  const content = completeEntry(input, undefined, ctx.now);
  const row = entryToRow(content, { version: 1, updatedAt: ctx.now.toISOString(), updatedBy: ctx.actor.sub });
  const entry = { ...content, version: 1, updatedAt: row.updatedAt };
  try {
    const [, , , , , version] = await ctx.db.batch([
      refuseWhilePublishing(ctx.db),
      bumpFormularyVersion(ctx.db, row.updatedAt),
      insertEntry(ctx.db, row),
      insertEntryVersion(ctx.db, row, "create"),
      auditStatement(ctx, { action: "formulary.entry.create", entityType: "formulary_entry", entityId: row.code, after: entry }),
      formularyVersionQuery(ctx.db),
    ]);
    return { entry, formularyVersion: version[0]?.version ?? 0 };
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", PUBLISHING_CONFLICT);
    if (isDuplicateCode(err) || isVersionConflict(err)) throw new ApiError("already-exists", `entry ${row.code} already exists`);
    throw err;
  }
}

export const parseIfMatch = (header: string | undefined) => parseIfMatchVersion(header, { version: "the entry's version (its ETag)", example: "3" });

export async function patchEntry(ctx: Ctx, code: string, expectedVersion: number, patch: EntryPatch): Promise<WriteResult> {
  const current = await getEntry(ctx, code);
  if (current.version !== expectedVersion) {
    throw new ApiError("precondition-failed", `entry ${current.code} is at version ${current.version}, not ${expectedVersion}`);
  }
  const before = contentOf(current);
  const content = reviseEntry(current, { ...before, ...patch, effectiveFrom: patch.effectiveFrom }, ctx.now);
  if (!content) return { entry: current, formularyVersion: (await getFormularyVersion(ctx)).version };
  const version = current.version + 1;
  const row = entryToRow(content, { version, updatedAt: ctx.now.toISOString(), updatedBy: ctx.actor.sub });
  const entry = { ...content, version, updatedAt: row.updatedAt };
  const change = before.status !== content.status ? "status" : "update";
  try {
    const [, , , , , , fv] = await ctx.db.batch([
      refuseWhilePublishing(ctx.db),
      bumpFormularyVersion(ctx.db, row.updatedAt),
      updateEntryIfVersion(ctx.db, row, current.version),
      keepSupersededSnapshot(ctx.db, current),
      insertEntryVersion(ctx.db, row, change),
      auditStatement(ctx, { action: `formulary.entry.${change}`, entityType: "formulary_entry", entityId: row.code, before: current, after: entry }),
      formularyVersionQuery(ctx.db),
    ]);
    return { entry, formularyVersion: fv[0]?.version ?? 0 };
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", PUBLISHING_CONFLICT);
    if (isVersionConflict(err)) throw new ApiError("precondition-failed", `entry ${row.code} was changed concurrently; reload it`);
    throw err;
  }
}

export async function entryHistory(ctx: Pick<Ctx, "db">, code: string, limit: number, beforeVersion?: number) {
  const normalized = code.toUpperCase();
  // one round trip: the entry (for 404) and the page of its versions
  const [entries, rows] = await ctx.db.batch([entryQuery(ctx.db, normalized), listEntryVersions(ctx.db, normalized, limit + 1, beforeVersion)]);
  if (!entries[0]) throw new ApiError("not-found", `no formulary entry ${code}`);
  const current = rowToEntry(entries[0]);
  return rows.map((r) => ({
    version: r.version,
    formularyVersion: r.formularyVersion,
    change: r.change as EntryChange,
    status: r.status as Entry["status"],
    effectiveFrom: r.effectiveFrom,
    changedAt: r.changedAt,
    changedBy: r.changedBy,
    importId: r.importId,
    entry: versionContent(r.snapshot, current) ?? current,
  }));
}
