/**
 * Routing, pure: which pharmacy serves a prescription. Pickup goes to the pharmacy of the
 * chosen site; delivery to a pharmacy whose delivery area covers the address region. Either
 * way the pharmacy's capabilities must fit every item (cold chain for 2-8°C products).
 */

export interface RoutablePharmacy {
  id: string;
  name: string;
  integration: "desk" | "external";
  deliveryRegions: string[];
  capabilities: string[];
}

export interface RoutableSite {
  id: string;
  pharmacyId: string;
}

export interface RoutingRequest {
  mode: "pickup" | "delivery";
  pickupSiteId?: string;
  region?: string;
  /** storage of every item: "normal" | "cold_chain" | "special" */
  storages: string[];
}

export type RoutingResult<P extends RoutablePharmacy = RoutablePharmacy> = { ok: true; pharmacy: P } | { ok: false; reasons: string[] };

function requiredCapabilities(req: RoutingRequest): string[] {
  const needs = new Set<string>([req.mode]);
  if (req.storages.includes("cold_chain")) needs.add("cold_chain");
  if (req.storages.includes("special")) needs.add("special_storage");
  return [...needs];
}

/** Region paths: "青溪县" covers "青溪县/石门乡" but not "青溪县东". */
export function regionCovers(area: string, region: string): boolean {
  return region === area || region.startsWith(`${area}/`);
}

function missing(p: RoutablePharmacy, needs: string[]): string[] {
  return needs.filter((n) => !p.capabilities.includes(n));
}

export function routeOrder<P extends RoutablePharmacy>(req: RoutingRequest, pharmacies: P[], sites: RoutableSite[]): RoutingResult<P> {
  const needs = requiredCapabilities(req);
  if (req.mode === "pickup") {
    const site = sites.find((s) => s.id === req.pickupSiteId);
    const pharmacy = site && pharmacies.find((p) => p.id === site.pharmacyId);
    if (!site || !pharmacy) return { ok: false, reasons: [`pickup site ${req.pickupSiteId ?? "(none)"} does not exist`] };
    const lacks = missing(pharmacy, needs);
    if (lacks.length) return { ok: false, reasons: [`${pharmacy.name} (${pharmacy.id}) lacks ${lacks.join(", ")}`] };
    return { ok: true, pharmacy };
  }
  const region = req.region ?? "";
  const reasons: string[] = [];
  const eligible: { pharmacy: P; depth: number }[] = [];
  for (const p of pharmacies) {
    const area = p.deliveryRegions.filter((a) => regionCovers(a, region)).sort((a, b) => b.length - a.length)[0];
    const lacks = missing(p, needs);
    if (area === undefined) reasons.push(`${p.name} (${p.id}) does not deliver to ${region}`);
    else if (lacks.length) reasons.push(`${p.name} (${p.id}) lacks ${lacks.join(", ")}`);
    else eligible.push({ pharmacy: p, depth: area.length });
  }
  // the most local area wins; then the consortium's own desk; then a stable order
  eligible.sort(
    (a, b) =>
      b.depth - a.depth ||
      Number(a.pharmacy.integration !== "desk") - Number(b.pharmacy.integration !== "desk") ||
      a.pharmacy.id.localeCompare(b.pharmacy.id),
  );
  const best = eligible[0];
  return best ? { ok: true, pharmacy: best.pharmacy } : { ok: false, reasons: reasons.length ? reasons : ["no pharmacy is contracted"] };
}

/**
 * Splits a long prescription into instalments: equal supply periods (the last takes the
 * rest), each released `leadDays` before the previous supply runs out (the first at once).
 */
export function planInstalments(startDate: string, days: number, instalments: number, leadDays: number, addDays: (d: string, n: number) => string) {
  const n = Math.max(1, Math.min(instalments, days));
  const base = Math.floor(days / n);
  const plan: { instalment: number; supplyFrom: string; days: number; releaseOn: string }[] = [];
  let offset = 0;
  for (let k = 1; k <= n; k++) {
    const length = k === n ? days - offset : base;
    const supplyFrom = addDays(startDate, offset);
    const releaseOn = k === 1 ? startDate : addDays(supplyFrom, -leadDays);
    plan.push({ instalment: k, supplyFrom, days: length, releaseOn: releaseOn < startDate ? startDate : releaseOn });
    offset += length;
  }
  return plan;
}
