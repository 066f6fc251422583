import { describe, expect, it } from "vitest";
import { decideReturn, MAX_REROUTES, type RoutablePharmacy, rerouteOrder } from "../../worker/pharmacy/orders/routing";
import { answerForDoctor } from "../../worker/pharmacy/outbox/outbox.consumer";
import { expiryCutoff } from "../../worker/pharmacy/scheduled";
import { readSettings, settingDefaults } from "../../worker/settings/settings.schemas";

const pharmacy = (id: string, over: Partial<RoutablePharmacy> = {}): RoutablePharmacy => ({
  id,
  name: id,
  integration: "desk",
  deliveryRegions: ["青溪县"],
  capabilities: ["delivery", "pickup", "cold_chain"],
  ...over,
});

const CLOUD = pharmacy("pharm-cloud");
const RENHE = pharmacy("pharm-renhe", { integration: "external", deliveryRegions: ["青溪县/桃源镇"], capabilities: ["delivery"] });
const SECOND = pharmacy("pharm-second", { deliveryRegions: ["青溪县/石门乡"], capabilities: ["delivery", "pickup"] });
const PHARMACIES = [CLOUD, RENHE, SECOND];
const SITES = [
  { id: "site-cloud-shimen", pharmacyId: "pharm-cloud" },
  { id: "site-cloud-chengguan", pharmacyId: "pharm-cloud" },
  { id: "site-second", pharmacyId: "pharm-second" },
];

const anOrder = (over: Partial<Parameters<typeof decideReturn>[0]> = {}): Parameters<typeof decideReturn>[0] => ({
  status: "pending_review",
  mode: "delivery",
  reroutes: 0,
  pharmacyId: "pharm-renhe",
  address: { region: "青溪县/桃源镇/溪口村" },
  items: [{ storage: "normal" }],
  ...over,
});

const routing = { pharmacies: PHARMACIES, sites: SITES };
const outcome = (d: ReturnType<typeof decideReturn>) => (d.action === "reroute" ? `reroute:${d.pharmacy.id}` : "return");

describe("decideReturn", () => {
  it.each([
    ["a delivery refused by the external pharmacy goes to the consortium's desk pharmacy", anOrder(), undefined, "reroute:pharm-cloud"],
    ["approved (nothing dispensed) re-routes too", anOrder({ status: "approved" }), undefined, "reroute:pharm-cloud"],
    ["the most local other pharmacy wins", anOrder({ pharmacyId: "pharm-cloud", address: { region: "青溪县/石门乡/枫林村" } }), undefined, "reroute:pharm-second"],
    ["never back to the returning pharmacy", anOrder({ pharmacyId: "pharm-second", address: { region: "青溪县/石门乡" } }), undefined, "reroute:pharm-cloud"],
    ["cold chain only where there is cold chain", anOrder({ items: [{ storage: "normal" }, { storage: "cold_chain" }] }), undefined, "reroute:pharm-cloud"],
    ["cold chain with no other cold-chain pharmacy: back to the doctor", anOrder({ pharmacyId: "pharm-cloud", items: [{ storage: "cold_chain" }] }), undefined, "return"],
    ["outside every area but the returning one's: back to the doctor", anOrder({ pharmacyId: "pharm-cloud", address: { region: "青溪县/城关镇" } }), undefined, "return"],
    [`after ${MAX_REROUTES} re-route: back to the doctor`, anOrder({ reroutes: MAX_REROUTES }), undefined, "return"],
    ["change_requested: back to the doctor", anOrder({ status: "change_requested" }), undefined, "return"],
    ["awaiting_stock (part handed over): back to the doctor", anOrder({ status: "awaiting_stock" }), undefined, "return"],
    ["an item's storage unknown: back to the doctor (cold chain cannot be checked)", anOrder({ items: [{ storage: "normal" }, {}] }), undefined, "return"],
    ["a pickup without the patient's new site: back to the doctor", anOrder({ mode: "pickup", pharmacyId: "pharm-cloud", address: null }), undefined, "return"],
    ["a pickup with a consented site of another pharmacy", anOrder({ mode: "pickup", pharmacyId: "pharm-cloud", address: null }), "site-second", "reroute:pharm-second"],
    ["a pickup with a site of the returning pharmacy is no re-route", anOrder({ mode: "pickup", pharmacyId: "pharm-cloud", address: null }), "site-cloud-chengguan", "return"],
    ["a pickup to a pharmacy lacking cold chain", anOrder({ mode: "pickup", pharmacyId: "pharm-cloud", address: null, items: [{ storage: "cold_chain" }] }), "site-second", "return"],
  ] as const)("%s", (_, order, site, expected) => {
    expect(outcome(decideReturn(order, routing, site))).toBe(expected);
  });

  it("says why when no pharmacy fits", () => {
    const d = decideReturn(anOrder({ pharmacyId: "pharm-cloud", address: { region: "青溪县/城关镇" } }), routing);
    expect(d).toEqual({ action: "return", reasons: ["pharm-renhe (pharm-renhe) does not deliver to 青溪县/城关镇", "pharm-second (pharm-second) does not deliver to 青溪县/城关镇"] });
  });

  it("re-routes a delivery without an address nowhere", () => {
    expect(rerouteOrder({ mode: "delivery", storages: ["normal"], fromPharmacyId: "pharm-renhe" }, PHARMACIES, SITES)).toEqual({ ok: false, reasons: ["the order has no delivery address"] });
  });
});

describe("readSettings", () => {
  it.each([
    ["no rows: the national defaults", [], settingDefaults()],
    ["a stored value", [{ key: "uncollectedExpiryDays", value: 3 }], { ...settingDefaults(), uncollectedExpiryDays: 3 }],
    ["a value outside the bounds falls back to the default", [{ key: "uncollectedExpiryDays", value: 90 }], settingDefaults()],
    ["a value of the wrong type falls back to the default", [{ key: "coldChainOnLongRx", value: "true" }], settingDefaults()],
    ["unknown keys are ignored", [{ key: "retired", value: 1 }, { key: "__proto__", value: 1 }], settingDefaults()],
    ["a switch", [{ key: "coldChainOnLongRx", value: true }], { ...settingDefaults(), coldChainOnLongRx: true }],
  ] as const)("%s", (_, rows, expected) => {
    expect(readSettings(rows)).toEqual(expected);
  });

  it("has the national defaults", () => {
    expect(settingDefaults()).toEqual({ uncollectedExpiryDays: 7, reviewTargetMinutes: 30, instalmentLeadDays: 7, coldChainOnLongRx: false, antiviralsOnLongRx: false, refillGraceDays: 7, reviewSampleSize: 100 });
  });
});

describe("expiryCutoff (China dates)", () => {
  // ready on China day D expires once today ≥ D + N: what expires was ready before China day (today − N + 1) began
  it.each([
    ["08:00 China time, N = 7", "2026-11-25T00:00:00.000Z", 7, "2026-11-18T16:00:00.000Z"],
    ["23:59 China time is still that day", "2026-11-25T15:59:00.000Z", 7, "2026-11-18T16:00:00.000Z"],
    ["00:00 China time is the next day", "2026-11-25T16:00:00.000Z", 7, "2026-11-19T16:00:00.000Z"],
    ["N = 1", "2026-11-25T00:00:00.000Z", 1, "2026-11-24T16:00:00.000Z"],
  ] as const)("%s", (_, now, days, cutoff) => {
    expect(expiryCutoff(new Date(now), days)).toBe(cutoff);
  });
});

describe("answerForDoctor", () => {
  it.each([
    ["a JSON answer's message", 422, '{"error":"region not served"}', "HTTP 422 region not served"],
    ["detail before other fields", 409, '{"code":"X","detail":"库存不足，无法接单"}', "HTTP 409 库存不足，无法接单"],
    ["plain text on one line", 400, "bad\r\norder\tformat", "HTTP 400 bad order format"],
    ["no body", 404, "", "HTTP 404"],
    ["tokens and signatures are blanked", 401, "signature t=1,v1=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef invalid", "HTTP 401 signature t=1,[…] invalid"],
    ["capped", 422, "x ".repeat(500), `HTTP 422 ${"x ".repeat(100).trim()}`],
  ] as const)("%s", (_, status, answer, expected) => {
    expect(answerForDoctor(status, answer)).toBe(expected);
  });
});
