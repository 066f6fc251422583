import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { expectChanged, isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import {
  deleteInteractionIfUnchanged,
  type InteractionRow,
  insertInteraction,
  interactionQuery,
  isDuplicateInteraction,
  listInteractions,
  updateInteractionIfUnchanged,
} from "./reference.repo";
import type { Interaction, InteractionInput, InteractionPatch, InteractionSide } from "./reference.schemas";

const ENTITY = "interaction";

/** The shape the rules engine reads (worker/rules/types.ts Interaction) plus who changed it when. */
function toInteraction(row: InteractionRow): Interaction {
  const side = (atcPrefix: string | null, name: string | null) => ({ ...(atcPrefix ? { atcPrefix } : {}), ...(name ? { name } : {}) });
  return {
    id: row.id,
    a: side(row.aAtcPrefix, row.aName),
    b: side(row.bAtcPrefix, row.bName),
    severity: row.severity as Interaction["severity"],
    note: row.note,
    source: row.source,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

function toRow(id: string, content: { a: InteractionSide; b: InteractionSide; severity: string; note: string; source: string }, ctx: Ctx): InteractionRow {
  return {
    id,
    aAtcPrefix: content.a.atcPrefix ?? null,
    aName: content.a.name ?? null,
    bAtcPrefix: content.b.atcPrefix ?? null,
    bName: content.b.name ?? null,
    severity: content.severity,
    note: content.note,
    source: content.source,
    updatedAt: ctx.now.toISOString(),
    updatedBy: ctx.actor.sub,
  };
}

async function loadInteraction(ctx: Pick<Ctx, "db">, id: string): Promise<InteractionRow> {
  const [row] = await interactionQuery(ctx.db, id);
  if (!row) throw new ApiError("not-found", `no interaction ${id}`);
  return row;
}

export async function getInteraction(ctx: Pick<Ctx, "db">, id: string): Promise<Interaction> {
  return toInteraction(await loadInteraction(ctx, id));
}

export async function findInteractions(ctx: Pick<Ctx, "db">, p: { severity?: string; afterId?: string; limit: number }) {
  return (await listInteractions(ctx.db, { ...p, limit: p.limit + 1 })).map(toInteraction);
}

export async function createInteraction(ctx: Ctx, input: InteractionInput): Promise<Interaction> {
  const row = toRow(input.id, input, ctx);
  const interaction = toInteraction(row);
  try {
    await ctx.db.batch([insertInteraction(ctx.db, row), auditStatement(ctx, { action: "interaction.create", entityType: ENTITY, entityId: row.id, after: interaction })]);
  } catch (err) {
    if (isDuplicateInteraction(err)) throw new ApiError("already-exists", `interaction ${row.id} already exists`);
    throw err;
  }
  return interaction;
}

/** A patch replaces whole fields (a side is replaced, not merged); one that changes nothing writes nothing. */
export async function patchInteraction(ctx: Ctx, id: string, patch: InteractionPatch): Promise<Interaction> {
  const before = await loadInteraction(ctx, id);
  const current = toInteraction(before);
  const next = toRow(id, { ...current, ...patch }, ctx);
  const unchanged = (["aAtcPrefix", "aName", "bAtcPrefix", "bName", "severity", "note", "source"] as const).every((k) => next[k] === before[k]);
  if (unchanged) return current;
  const after = toInteraction(next);
  try {
    await ctx.db.batch([
      updateInteractionIfUnchanged(ctx.db, before, next),
      expectChanged(ctx.db),
      auditStatement(ctx, { action: "interaction.update", entityType: ENTITY, entityId: id, before: current, after }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", `interaction ${id} was changed concurrently; reload it`);
    throw err;
  }
  return after;
}

/** Deletes and audits with the before image, in one batch; only the version that was read is deleted. */
export async function deleteInteraction(ctx: Ctx, id: string): Promise<void> {
  const before = await loadInteraction(ctx, id);
  try {
    await ctx.db.batch([
      deleteInteractionIfUnchanged(ctx.db, before),
      expectChanged(ctx.db),
      auditStatement(ctx, { action: "interaction.delete", entityType: ENTITY, entityId: id, before: toInteraction(before) }),
    ]);
  } catch (err) {
    if (!isGuardFailure(err)) throw err;
    await loadInteraction(ctx, id); // 404 when someone else deleted it meanwhile
    throw new ApiError("conflict", `interaction ${id} was changed concurrently; reload it`);
  }
}
