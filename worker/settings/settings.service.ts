import { parseIfMatchVersion } from "../http/if-match";
import { auditStatement, listAuditEvents } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { isGuardFailure } from "../db/guard";
import { ApiError, issuesFromZod } from "../errors/problem";
import { type SettingRow, settingQuery, settingsQuery, writeSettingIfVersion } from "./settings.repo";
import {
  isSettingKey,
  parseSettingValue,
  readSettings,
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type SettingKey,
  type Settings,
  type SettingView,
  valueJsonSchema,
} from "./settings.schemas";

/*
 * Consortium settings (admins write, everyone reads). Each key is versioned on its own, so
 * two admins changing different keys never conflict, and a change is sent with If-Match of
 * the version it was based on (missing 428, stale 412). The history of a key is its audit
 * rows, written in the batch of each change.
 */

const AUDIT_ENTITY = "consortium_setting";

function viewOf(key: SettingKey, value: Settings[SettingKey], row: SettingRow | undefined): SettingView {
  const definition = SETTING_DEFINITIONS[key];
  return {
    key,
    label: definition.label,
    description: definition.description,
    value,
    default: definition.default,
    schema: valueJsonSchema(key),
    isDefault: row === undefined,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

function requireKey(key: string): SettingKey {
  if (!isSettingKey(key)) throw new ApiError("not-found", `no setting ${key}; the settings are ${SETTING_KEYS.join(", ")}`);
  return key;
}

/** Every key with its value in effect, default, version and who changed it last: one round trip. */
export async function listSettings(ctx: Pick<Ctx, "db">): Promise<{ values: Settings; items: SettingView[] }> {
  const rows = await settingsQuery(ctx.db);
  const values = readSettings(rows);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return { values, items: SETTING_KEYS.map((key) => viewOf(key, values[key], byKey.get(key))) };
}

export async function getSetting(ctx: Pick<Ctx, "db">, key: string): Promise<SettingView> {
  const known = requireKey(key);
  const [row] = await settingQuery(ctx.db, known);
  return viewOf(known, readSettings(row ? [row] : [])[known], row);
}

/** If-Match: the key's version (its ETag); 0 for a key still at its default. */
export const parseSettingIfMatch = (header: string | undefined) =>
  parseIfMatchVersion(header, { version: 'the setting\'s version (its ETag; "0" while it is at the default)', example: "3" });

/**
 * Sets one key: the value is validated by the key's schema (400 with the bounds), the
 * version must be the one the caller saw (412), and the write, its guard and the audit row
 * (before and after) commit in one batch. Setting the value it already has changes nothing.
 */
export async function updateSetting(ctx: Ctx, key: string, expectedVersion: number, input: { value?: unknown }): Promise<SettingView> {
  const known = requireKey(key);
  const parsed = parseSettingValue(known, input.value);
  if (!parsed.success) throw new ApiError("validation-failed", `invalid value for ${known}`, issuesFromZod(parsed.error, "value"));
  const [current] = await settingQuery(ctx.db, known);
  const currentVersion = current?.version ?? 0;
  if (currentVersion !== expectedVersion) throw new ApiError("precondition-failed", `setting ${known} is at version ${currentVersion}, not ${expectedVersion}; reload it`);
  const before = readSettings(current ? [current] : [])[known];
  if (current && current.value === parsed.data) return viewOf(known, before, current);
  const row: SettingRow = { key: known, value: parsed.data, version: currentVersion + 1, updatedAt: ctx.now.toISOString(), updatedBy: ctx.actor.sub };
  try {
    await ctx.db.batch([
      ...writeSettingIfVersion(ctx.db, row, currentVersion),
      auditStatement(ctx, {
        action: "settings.update",
        entityType: AUDIT_ENTITY,
        entityId: known,
        before: { value: before, version: currentVersion, isDefault: !current },
        after: { value: parsed.data, version: row.version },
      }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("precondition-failed", `setting ${known} was changed concurrently; reload it`);
    throw err;
  }
  return viewOf(known, parsed.data, row);
}

/** A key's changes, newest first: its audit rows (admins; they name who changed what). */
export async function settingHistory(ctx: Pick<Ctx, "db">, key: string, limit: number) {
  const known = requireKey(key);
  const rows = await listAuditEvents(ctx, AUDIT_ENTITY, known, limit);
  return rows.map((r) => ({ at: r.at, actorId: r.actorId, before: parseJson(r.before), after: parseJson(r.after), requestId: r.requestId }));
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
