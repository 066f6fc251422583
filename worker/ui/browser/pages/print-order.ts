/**
 * What the print pages (labels.ts, slip.ts) read of an order: the parts of GET /orders/{id}
 * (DeskOrderDetail) and GET /pharmacies/{id} they print, loaded with the pharmacist's token.
 */
import { api, byId, el, networkNotice, problemNotice, replace, requireLogin } from "../lib";

export interface Qty {
  value: number;
  unit: string;
}

export interface PrintOrder {
  id: string;
  pharmacyId: string;
  reference: string;
  status: string;
  mode: "pickup" | "delivery";
  instalment: number;
  instalments: number;
  supplyFrom: string;
  days: number;
  items: { drugCode: string; genericName: string; packages: number }[];
  pickupSite: { id: string; name: string; address: string } | null;
  patient: { id: string; name: string } | null;
  prescription: {
    content: {
      items: { drugCode: string; genericName: string | null; form: string | null; strength: Qty | null; pack: { size: number; unit: string } | null; dose: Qty; frequency: string; route: string | null; days: number }[];
    } | null;
  };
}

export interface PrintData {
  order: PrintOrder;
  pharmacyName: string;
  pharmacyHours: string | null;
}

/** Today's date in China (where the pharmacy is), whatever the printing machine's zone. */
export function chinaToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** The reference in groups of four, as the status page accepts it (spaces and hyphens are ignored there). */
export function groupedReference(ref: string): string {
  return ref.replace(/(.{4})(?=.)/g, "$1-");
}

/**
 * Loads the order of the page (#sheets data-order-id) and its pharmacy, wiring the 打印
 * button; shows the problem in #msg and returns null when it cannot.
 */
export async function loadPrintData(): Promise<{ sheets: HTMLDivElement; data: PrintData } | null> {
  const sheets = byId("sheets", HTMLDivElement);
  const msg = byId("msg", HTMLDivElement);
  byId("print", HTMLButtonElement).addEventListener("click", () => window.print());
  if (!requireLogin(msg, ["pharmacist", "admin"])) return null;
  const id = sheets.dataset.orderId ?? "";
  try {
    const res = await api<PrintOrder>("GET", `/orders/${encodeURIComponent(id)}`);
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return null;
    }
    const pharmacy = await api<{ name: string; hours?: string | null }>("GET", `/pharmacies/${encodeURIComponent(res.body.pharmacyId)}`);
    return { sheets, data: { order: res.body, pharmacyName: pharmacy.ok ? pharmacy.body.name : res.body.pharmacyId, pharmacyHours: pharmacy.ok ? (pharmacy.body.hours ?? null) : null } };
  } catch {
    replace(msg, networkNotice());
    return null;
  }
}

/** A line of a printed sheet: a small caption and its value. */
export function line(caption: string, value: string, cls = ""): HTMLDivElement {
  return el("div", { class: `sheet-line ${cls}` }, el("span", { class: "sheet-cap", text: caption }), el("span", { class: "sheet-val", text: value }));
}
