import { auditStatement } from "../../audit/audit.repo";
import type { Ctx } from "../../context";
import { expectChanged, isGuardFailure } from "../../db/guard";
import { ApiError, type ProblemIssue } from "../../errors/problem";
import {
  insertPharmacy,
  insertSite,
  isDuplicateKey,
  isForeignKeyFailure,
  type PharmacyRecord,
  pharmaciesWithSitesQueries,
  pharmacyRecordQuery,
  type SiteRecord,
  sitesOfPharmacyQuery,
  updatePharmacyIfUnchanged,
} from "./pharmacies.repo";
import type { Integration, Pharmacy, PharmacyInput, PharmacyPatch, Site, SiteInput } from "./pharmacies.schemas";

function toSite(row: SiteRecord): Site {
  return { id: row.id, pharmacyId: row.pharmacyId, name: row.name, address: row.address, institutionId: row.institutionId };
}

/** The public view: the shared secret never leaves, only whether one is set. */
function toPharmacy(row: PharmacyRecord, sites: SiteRecord[]): Pharmacy {
  return {
    id: row.id,
    name: row.name,
    integration: row.integration as Integration,
    endpointUrl: row.endpointUrl,
    hasSharedSecret: Boolean(row.sharedSecret),
    deliveryRegions: row.deliveryRegions,
    capabilities: row.capabilities,
    hours: row.hours,
    createdAt: row.createdAt,
    sites: sites.filter((s) => s.pharmacyId === row.id).map(toSite),
  };
}

/** What the audit trail keeps of a pharmacy: everything but the secret. */
function auditImage(row: PharmacyRecord) {
  const { sharedSecret, ...rest } = row;
  return { ...rest, hasSharedSecret: Boolean(sharedSecret) };
}

/**
 * An external pharmacy receives signed orders over HTTPS and signs its callbacks: it needs
 * an https endpoint and a secret. A desk pharmacy has neither.
 */
function integrationIssues(row: Pick<PharmacyRecord, "integration" | "endpointUrl" | "sharedSecret">): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  if (row.integration === "external") {
    if (!row.endpointUrl) issues.push({ path: "endpointUrl", message: "an external pharmacy needs an endpointUrl" });
    else if (!row.endpointUrl.startsWith("https://")) issues.push({ path: "endpointUrl", message: "orders carry patient data: the endpoint must be https" });
    if (!row.sharedSecret) issues.push({ path: "sharedSecret", message: "an external pharmacy needs a sharedSecret (at least 32 characters)" });
  } else {
    if (row.endpointUrl) issues.push({ path: "endpointUrl", message: "a desk pharmacy has no endpoint" });
    if (row.sharedSecret) issues.push({ path: "sharedSecret", message: "a desk pharmacy has no shared secret" });
  }
  return issues;
}

function checkIntegration(row: Pick<PharmacyRecord, "integration" | "endpointUrl" | "sharedSecret">) {
  const issues = integrationIssues(row);
  if (issues.length) throw new ApiError("unprocessable", `the ${row.integration} integration is not configured consistently`, issues);
}

export async function listPharmacies(ctx: Pick<Ctx, "db">): Promise<Pharmacy[]> {
  const [rows, sites] = await ctx.db.batch(pharmaciesWithSitesQueries(ctx.db));
  return rows.map((r) => toPharmacy(r, sites));
}

export async function getPharmacy(ctx: Pick<Ctx, "db">, id: string): Promise<Pharmacy> {
  const [[row], sites] = await ctx.db.batch([pharmacyRecordQuery(ctx.db, id), sitesOfPharmacyQuery(ctx.db, id)]);
  if (!row) throw new ApiError("not-found", `no pharmacy ${id}`);
  return toPharmacy(row, sites);
}

export async function createPharmacy(ctx: Ctx, input: PharmacyInput): Promise<Pharmacy> {
  const row: PharmacyRecord = {
    id: input.id,
    name: input.name,
    integration: input.integration,
    endpointUrl: input.endpointUrl ?? null,
    sharedSecret: input.sharedSecret ?? null,
    deliveryRegions: input.deliveryRegions,
    capabilities: input.capabilities,
    hours: input.hours ?? null,
    createdAt: ctx.now.toISOString(),
  };
  checkIntegration(row);
  try {
    await ctx.db.batch([insertPharmacy(ctx.db, row), auditStatement(ctx, { action: "pharmacy.create", entityType: "pharmacy", entityId: row.id, after: auditImage(row) })]);
  } catch (err) {
    if (isDuplicateKey(err, "pharmacies")) throw new ApiError("already-exists", `pharmacy ${row.id} already exists`);
    throw err;
  }
  return toPharmacy(row, []);
}

/** A patch that changes nothing writes nothing; switching to desk clears the endpoint and the secret. */
export async function patchPharmacy(ctx: Ctx, id: string, patch: PharmacyPatch): Promise<Pharmacy> {
  const [[before], sites] = await ctx.db.batch([pharmacyRecordQuery(ctx.db, id), sitesOfPharmacyQuery(ctx.db, id)]);
  if (!before) throw new ApiError("not-found", `no pharmacy ${id}`);
  const integration = patch.integration ?? before.integration;
  const toDesk = integration === "desk" && before.integration !== "desk";
  const next = {
    name: patch.name ?? before.name,
    integration,
    endpointUrl: patch.endpointUrl !== undefined ? patch.endpointUrl : toDesk ? null : before.endpointUrl,
    sharedSecret: patch.sharedSecret ?? (toDesk ? null : before.sharedSecret),
    deliveryRegions: patch.deliveryRegions ?? before.deliveryRegions,
    capabilities: patch.capabilities ?? before.capabilities,
    hours: patch.hours !== undefined ? patch.hours : before.hours,
  };
  checkIntegration(next);
  const after: PharmacyRecord = { ...before, ...next };
  if (JSON.stringify(after) === JSON.stringify(before)) return toPharmacy(before, sites);
  try {
    await ctx.db.batch([
      updatePharmacyIfUnchanged(ctx.db, before, next),
      expectChanged(ctx.db),
      auditStatement(ctx, {
        action: "pharmacy.update",
        entityType: "pharmacy",
        entityId: id,
        before: auditImage(before),
        after: { ...auditImage(after), sharedSecretChanged: after.sharedSecret !== before.sharedSecret },
      }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw new ApiError("conflict", `pharmacy ${id} was changed concurrently; reload it`);
    throw err;
  }
  return toPharmacy(after, sites);
}

export async function addSite(ctx: Ctx, pharmacyId: string, input: SiteInput): Promise<Site> {
  const [pharmacy] = await pharmacyRecordQuery(ctx.db, pharmacyId);
  if (!pharmacy) throw new ApiError("not-found", `no pharmacy ${pharmacyId}`);
  const row: SiteRecord = { id: input.id, pharmacyId, name: input.name, address: input.address, institutionId: input.institutionId ?? null };
  try {
    await ctx.db.batch([insertSite(ctx.db, row), auditStatement(ctx, { action: "pharmacy_site.create", entityType: "pharmacy_site", entityId: row.id, after: row })]);
  } catch (err) {
    if (isDuplicateKey(err, "pharmacy_sites")) throw new ApiError("already-exists", `pickup site ${row.id} already exists`);
    if (isForeignKeyFailure(err)) {
      throw new ApiError("unprocessable", `no member institution ${input.institutionId}`, [{ path: "institutionId", message: "not a member institution" }]);
    }
    throw err;
  }
  return toSite(row);
}
