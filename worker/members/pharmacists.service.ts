import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { commitGuarded, expectChanged } from "../db/guard";
import { ApiError } from "../errors/problem";
import { isForeignKeyFailure } from "./members.repo";
import {
  insertPharmacist,
  isDuplicatePharmacist,
  listPharmacists,
  type PharmacistRow,
  pharmacistRecordQuery,
  pharmacyIdQuery,
  updatePharmacistIfUnchanged,
} from "./pharmacists.repo";
import type { Pharmacist, PharmacistInput, PharmacistPatch } from "./pharmacists.schemas";

/*
 * Pharmacists are members of the consortium's pharmacies: admins register, edit and move
 * them; a pharmacist sees the colleagues of their own pharmacy (the token's org) and no
 * one else. The pharmacist row is what the desk checks on every action (registered at the
 * token's pharmacy, licensed title), so every change here is audited in its batch.
 */

const ENTITY = "pharmacist";

function toPharmacist(row: PharmacistRow): Pharmacist {
  return { id: row.id, name: row.name, pharmacyId: row.pharmacyId, title: row.title, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

const unknownPharmacy = (id: string) => new ApiError("unprocessable", `no contracted pharmacy ${id}`, [{ path: "pharmacyId", message: "not a contracted pharmacy" }]);

const notFound = (id: string) => new ApiError("not-found", `no pharmacist ${id}`);

/**
 * A pharmacist caller must be registered at the pharmacy their token names (a moved
 * pharmacist's old token no longer is); admins see every pharmacy.
 */
function assertRegistered(ctx: Ctx, caller: { pharmacyId: string } | undefined): void {
  if (ctx.actor.role === "pharmacist" && caller?.pharmacyId !== ctx.actor.org) {
    throw new ApiError("forbidden", `${ctx.actor.sub} is not a registered pharmacist of pharmacy ${ctx.actor.org}`);
  }
}

/** The pharmacy is checked first for a precise problem; the foreign key catches what a race could slip past it. */
export async function createPharmacist(ctx: Ctx, input: PharmacistInput): Promise<Pharmacist> {
  const [pharmacy] = await pharmacyIdQuery(ctx.db, input.pharmacyId);
  if (!pharmacy) throw unknownPharmacy(input.pharmacyId);
  const row: PharmacistRow = { ...input, createdAt: ctx.now.toISOString(), updatedAt: null };
  try {
    await ctx.db.batch([insertPharmacist(ctx.db, row), auditStatement(ctx, { action: "pharmacist.create", entityType: ENTITY, entityId: row.id, after: row })]);
  } catch (err) {
    if (isDuplicatePharmacist(err)) throw new ApiError("already-exists", `pharmacist ${row.id} already exists`);
    if (isForeignKeyFailure(err)) throw unknownPharmacy(input.pharmacyId);
    throw err;
  }
  return toPharmacist(row);
}

/** Another pharmacy's pharmacist is a 404 to a pharmacist, like one that does not exist. */
export async function getPharmacist(ctx: Ctx, id: string): Promise<Pharmacist> {
  const [caller, found] = await ctx.db.batch([pharmacistRecordQuery(ctx.db, ctx.actor.sub), pharmacistRecordQuery(ctx.db, id)]);
  assertRegistered(ctx, caller[0]);
  const row = found[0];
  if (!row || (ctx.actor.role === "pharmacist" && row.pharmacyId !== ctx.actor.org)) throw notFound(id);
  return toPharmacist(row);
}

/** Admins: every pharmacy or one; pharmacists: always their own, and asking for another is refused. */
export async function findPharmacists(ctx: Ctx, p: { pharmacyId?: string; afterId?: string; limit: number }): Promise<Pharmacist[]> {
  if (ctx.actor.role === "pharmacist" && p.pharmacyId !== undefined && p.pharmacyId !== ctx.actor.org) {
    throw new ApiError("forbidden", "pharmacists see the colleagues of their own pharmacy only");
  }
  const pharmacyId = ctx.actor.role === "pharmacist" ? ctx.actor.org : p.pharmacyId;
  const [caller, rows] = await ctx.db.batch([pharmacistRecordQuery(ctx.db, ctx.actor.sub), listPharmacists(ctx.db, { pharmacyId, afterId: p.afterId, limit: p.limit + 1 })]);
  assertRegistered(ctx, caller[0]);
  return rows.map(toPharmacist);
}

/**
 * Name, title and pharmacy (a move); a patch that changes nothing writes nothing. Racing
 * patches: the first wins, the other is a 409 (the update holds only while the row is
 * still what was read).
 */
export async function patchPharmacist(ctx: Ctx, id: string, patch: PharmacistPatch): Promise<Pharmacist> {
  const [found, target] = await ctx.db.batch([pharmacistRecordQuery(ctx.db, id), pharmacyIdQuery(ctx.db, patch.pharmacyId ?? "")]);
  const before = found[0];
  if (!before) throw notFound(id);
  const next = { name: patch.name ?? before.name, title: patch.title ?? before.title, pharmacyId: patch.pharmacyId ?? before.pharmacyId };
  if (next.name === before.name && next.title === before.title && next.pharmacyId === before.pharmacyId) return toPharmacist(before);
  if (next.pharmacyId !== before.pharmacyId && !target[0]) throw unknownPharmacy(next.pharmacyId);
  const after: PharmacistRow = { ...before, ...next, updatedAt: ctx.now.toISOString() };
  try {
    await commitGuarded(
      ctx.db,
      [
        updatePharmacistIfUnchanged(ctx.db, before, { ...next, updatedAt: after.updatedAt }),
        expectChanged(ctx.db),
        auditStatement(ctx, { action: next.pharmacyId === before.pharmacyId ? "pharmacist.update" : "pharmacist.move", entityType: ENTITY, entityId: id, before, after }),
      ],
      `pharmacist ${id} was changed concurrently; reload it`,
    );
  } catch (err) {
    if (isForeignKeyFailure(err)) throw unknownPharmacy(next.pharmacyId);
    throw err;
  }
  return toPharmacist(after);
}
