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

// ---------------------------------------------------------------------------------------
// Returns and re-routing (DOMAIN.md "Return"): a pharmacy that cannot fulfil an order gives
// it back; it goes to the next eligible pharmacy once, or back to the doctor.
// ---------------------------------------------------------------------------------------

/** An order goes to another pharmacy at most this many times; the next return sends it back to the doctor. */
export const MAX_REROUTES = 1;

export interface RerouteRequest {
  mode: "pickup" | "delivery";
  region?: string;
  /** storage of every item of the order; undefined for an order stored before storage was recorded */
  storages: (string | undefined)[];
  /** pickup only: the site the patient agreed to move to (the site is the patient's choice) */
  pickupSiteId?: string;
  /** the pharmacy giving the order back: never chosen again */
  fromPharmacyId: string;
}

/**
 * The next pharmacy for a returned order, by the rules of the first routing. Delivery: the
 * most local eligible pharmacy other than the one returning it. Pickup: only the pharmacy of
 * a site the patient consented to; without one there is nowhere to go, since moving a
 * patient's pickup site needs the patient's consent.
 */
export function rerouteOrder<P extends RoutablePharmacy>(req: RerouteRequest, pharmacies: P[], sites: RoutableSite[]): RoutingResult<P> {
  const storages = req.storages.filter((s): s is string => s !== undefined);
  // capabilities cannot be checked without the storage of every item: a cold-chain product must never reach a pharmacy without cold chain
  if (storages.length !== req.storages.length) return { ok: false, reasons: ["the storage of some item is not recorded, so no other pharmacy can be checked for it"] };
  if (req.mode === "pickup") {
    if (!req.pickupSiteId) return { ok: false, reasons: ["a pickup order moves to another pharmacy only to a site the patient agreed to (change-site with consent)"] };
    const route = routeOrder({ mode: "pickup", pickupSiteId: req.pickupSiteId, storages }, pharmacies, sites);
    if (route.ok && route.pharmacy.id === req.fromPharmacyId) return { ok: false, reasons: [`pickup site ${req.pickupSiteId} belongs to ${req.fromPharmacyId}, the pharmacy returning the order`] };
    return route;
  }
  if (!req.region) return { ok: false, reasons: ["the order has no delivery address"] };
  const others = pharmacies.filter((p) => p.id !== req.fromPharmacyId);
  return routeOrder({ mode: "delivery", region: req.region, storages }, others, sites);
}

export type ReturnDecision<P extends RoutablePharmacy = RoutablePharmacy> = { action: "reroute"; pharmacy: P } | { action: "return"; reasons: string[] };

/**
 * Where a returned order goes, pure: an order nothing was dispensed for (pending review or
 * approved) goes to the next eligible pharmacy if it was never re-routed; otherwise, or from
 * change_requested / awaiting_stock (the prescription is with the doctor, or part was
 * already handed over), it goes back to the doctor. The caller checks that the order may
 * be returned at all (the state machine's `return`).
 */
export function decideReturn<P extends RoutablePharmacy>(
  order: { status: string; mode: "pickup" | "delivery"; reroutes: number; pharmacyId: string; address: { region: string } | null; items: { storage?: string }[] },
  routing: { pharmacies: P[]; sites: RoutableSite[] },
  pickupSiteId?: string,
): ReturnDecision<P> {
  if (order.status !== "pending_review" && order.status !== "approved") return { action: "return", reasons: [`the order is ${order.status}: it goes back to the doctor`] };
  if (order.reroutes >= MAX_REROUTES) return { action: "return", reasons: ["the order was already re-routed once"] };
  const route = rerouteOrder(
    { mode: order.mode, region: order.address?.region, storages: order.items.map((i) => i.storage), pickupSiteId, fromPharmacyId: order.pharmacyId },
    routing.pharmacies,
    routing.sites,
  );
  return route.ok ? { action: "reroute", pharmacy: route.pharmacy } : { action: "return", reasons: route.reasons };
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
