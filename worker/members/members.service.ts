import { auditStatement } from "../audit/audit.repo";
import type { Ctx } from "../context";
import { expectChanged, isGuardFailure } from "../db/guard";
import { ApiError } from "../errors/problem";
import {
  deleteSpecialtiesOfPrefix,
  type InstitutionRow,
  institutionQuery,
  insertInstitution,
  insertPractitioner,
  insertSpecialtiesOfPrefix,
  isDuplicateId,
  isForeignKeyFailure,
  listInstitutions,
  listPractitioners,
  listSpecialtyRelations,
  type PractitionerRow,
  practitionerQuery,
  specialtiesOfPrefixQuery,
  updatePractitionerIfUnchanged,
} from "./members.repo";
import type {
  Institution,
  InstitutionInput,
  Practitioner,
  PractitionerInput,
  PractitionerPatch,
  Specialty,
  SpecialtyRelation,
  SpecialtyRelationInput,
  Title,
} from "./members.schemas";

function toInstitution(row: InstitutionRow): Institution {
  return { ...row, level: row.level as Institution["level"] };
}

function toPractitioner(row: PractitionerRow): Practitioner {
  return { ...row, title: row.title as Title, specialties: row.specialties as Specialty[] };
}

// ---------------------------------------------------------------------------------------
// Institutions
// ---------------------------------------------------------------------------------------

export async function createInstitution(ctx: Ctx, input: InstitutionInput): Promise<Institution> {
  const row: InstitutionRow = { ...input, createdAt: ctx.now.toISOString() };
  try {
    await ctx.db.batch([
      insertInstitution(ctx.db, row),
      auditStatement(ctx, { action: "institution.create", entityType: "institution", entityId: row.id, after: row }),
    ]);
  } catch (err) {
    if (isDuplicateId(err, "institutions")) throw new ApiError("already-exists", `institution ${row.id} already exists`);
    throw err;
  }
  return toInstitution(row);
}

export async function getInstitution(ctx: Pick<Ctx, "db">, id: string): Promise<Institution> {
  const [row] = await institutionQuery(ctx.db, id);
  if (!row) throw new ApiError("not-found", `no institution ${id}`);
  return toInstitution(row);
}

export async function findInstitutions(ctx: Pick<Ctx, "db">, p: { level?: string; afterId?: string; limit: number }) {
  return (await listInstitutions(ctx.db, { ...p, limit: p.limit + 1 })).map(toInstitution);
}

// ---------------------------------------------------------------------------------------
// Practitioners
// ---------------------------------------------------------------------------------------

const unknownInstitution = (id: string) =>
  new ApiError("unprocessable", `no member institution ${id}`, [{ path: "institutionId", message: "not a member institution" }]);

/**
 * The institution is checked first for a precise problem; institutions are never deleted,
 * and the foreign key still catches what a race could slip past the check.
 */
export async function createPractitioner(ctx: Ctx, input: PractitionerInput): Promise<Practitioner> {
  const [institution] = await institutionQuery(ctx.db, input.institutionId);
  if (!institution) throw unknownInstitution(input.institutionId);
  const row: PractitionerRow = { ...input, createdAt: ctx.now.toISOString() };
  try {
    await ctx.db.batch([
      insertPractitioner(ctx.db, row),
      auditStatement(ctx, { action: "practitioner.create", entityType: "practitioner", entityId: row.id, after: row }),
    ]);
  } catch (err) {
    if (isDuplicateId(err, "practitioners")) throw new ApiError("already-exists", `practitioner ${row.id} already exists`);
    if (isForeignKeyFailure(err)) throw unknownInstitution(input.institutionId);
    throw err;
  }
  return toPractitioner(row);
}

export async function getPractitioner(ctx: Pick<Ctx, "db">, id: string): Promise<Practitioner> {
  const [row] = await practitionerQuery(ctx.db, id);
  if (!row) throw new ApiError("not-found", `no practitioner ${id}`);
  return toPractitioner(row);
}

export async function findPractitioners(ctx: Pick<Ctx, "db">, p: { institutionId?: string; afterId?: string; limit: number }) {
  return (await listPractitioners(ctx.db, { ...p, limit: p.limit + 1 })).map(toPractitioner);
}

function sameSet(a: string[], b: string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((v) => set.has(v));
}

/** Name, title and specialties; a patch that changes nothing writes nothing. */
export async function patchPractitioner(ctx: Ctx, id: string, patch: PractitionerPatch): Promise<Practitioner> {
  const [before] = await practitionerQuery(ctx.db, id);
  if (!before) throw new ApiError("not-found", `no practitioner ${id}`);
  const next = { name: patch.name ?? before.name, title: patch.title ?? before.title, specialties: patch.specialties ?? before.specialties };
  if (next.name === before.name && next.title === before.title && sameSet(next.specialties, before.specialties)) return toPractitioner(before);
  const after: PractitionerRow = { ...before, ...next };
  try {
    await ctx.db.batch([
      updatePractitionerIfUnchanged(ctx.db, before, next),
      expectChanged(ctx.db),
      auditStatement(ctx, { action: "practitioner.update", entityType: "practitioner", entityId: id, before, after }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", `practitioner ${id} was changed concurrently; reload it`);
    throw err;
  }
  return toPractitioner(after);
}

// ---------------------------------------------------------------------------------------
// Related specialties
// ---------------------------------------------------------------------------------------

export async function findSpecialtyRelations(ctx: Pick<Ctx, "db">, p: { afterPrefix?: string; limit: number }): Promise<SpecialtyRelation[]> {
  const rows = await listSpecialtyRelations(ctx.db, { ...p, limit: p.limit + 1 });
  return rows.map((r) => ({ icd10Prefix: r.icd10Prefix, specialties: (JSON.parse(r.specialties) as Specialty[]).sort() }));
}

export async function getSpecialtyRelation(ctx: Pick<Ctx, "db">, icd10Prefix: string): Promise<SpecialtyRelation> {
  const rows = await specialtiesOfPrefixQuery(ctx.db, icd10Prefix);
  if (rows.length === 0) throw new ApiError("not-found", `no related specialties for ${icd10Prefix}`);
  return { icd10Prefix, specialties: rows.map((r) => r.specialty as Specialty) };
}

/** Replaces the prefix's whole set: delete, insert and audit in one batch (one transaction). */
export async function replaceSpecialtyRelation(ctx: Ctx, icd10Prefix: string, input: SpecialtyRelationInput): Promise<SpecialtyRelation> {
  const before = (await specialtiesOfPrefixQuery(ctx.db, icd10Prefix)).map((r) => r.specialty);
  if (sameSet(before, input.specialties)) return { icd10Prefix, specialties: input.specialties };
  const [first, ...rest] = input.specialties;
  const audit = auditStatement(ctx, {
    action: "specialty_relation.replace",
    entityType: "specialty_relation",
    entityId: icd10Prefix,
    before: { specialties: before },
    after: { specialties: input.specialties },
  });
  const remove = deleteSpecialtiesOfPrefix(ctx.db, icd10Prefix);
  if (first === undefined) await ctx.db.batch([remove, audit]);
  else await ctx.db.batch([remove, insertSpecialtiesOfPrefix(ctx.db, icd10Prefix, [first, ...rest]), audit]);
  return { icd10Prefix, specialties: input.specialties };
}
