/** /ui/status: the patient's lookup of their order by reference and the phone's last four digits (public, no sign-in). */
import { api, byId, el, networkNotice, notice, replace } from "../lib";

interface PatientOrderView {
  reference: string;
  status: string;
  statusText: string;
  updatedAt: string;
  mode: "pickup" | "delivery";
  modeText: string;
  pharmacy?: { name: string; hours: string | null };
  pickupSite?: { name: string; address: string };
  carrier?: string;
  trackingNo?: string;
  heldItems?: number;
  instalment: number;
  instalments: number;
  schedule: { instalment: number; status: string; statusText: string; days: number; supplyFrom: string; releaseOn: string; current: boolean }[];
}

const form = byId("status-form", HTMLFormElement);
const reference = byId("reference", HTMLInputElement);
const check = byId("check", HTMLInputElement);
const msg = byId("msg", HTMLDivElement);
const result = byId("result", HTMLDivElement);

function row(caption: string, value: string): HTMLDivElement {
  return el("div", { class: "status-row" }, el("span", { class: "status-cap", text: caption }), el("span", { text: value }));
}

function view(o: PatientOrderView): HTMLElement {
  return el(
    "div",
    { class: "card status-card" },
    el("div", { class: "status-text", text: o.statusText }),
    row("订单号", o.reference),
    row("方式", o.modeText),
    o.pharmacy ? row("药房", o.pharmacy.hours ? `${o.pharmacy.name}（${o.pharmacy.hours}）` : o.pharmacy.name) : null,
    o.pickupSite ? [row("取药点", o.pickupSite.name), row("地址", o.pickupSite.address)] : null,
    o.carrier ? row("快递", o.trackingNo ? `${o.carrier} ${o.trackingNo}` : o.carrier) : null,
    o.heldItems ? row("缺货", `${o.heldItems} 种药品到货后再取`) : null,
    row("分次", o.instalments > 1 ? `第 ${o.instalment} 次，共 ${o.instalments} 次` : "一次取完"),
    o.schedule.length > 1
      ? el(
          "ol",
          { class: "status-schedule" },
          o.schedule.map((s) =>
            el("li", { class: s.current ? "current" : "" }, el("strong", { text: `第 ${s.instalment} 次` }), ` ${s.releaseOn} 起，${s.days} 天用量：`, s.statusText),
          ),
        )
      : null,
  );
}

function failure(status: number, retryAfter: string | null): HTMLDivElement {
  if (status === 429) {
    const minutes = Math.max(1, Math.ceil(Number(retryAfter ?? "60") / 60) || 1);
    return notice("err", `尝试次数过多，请 ${minutes} 分钟后再试。`);
  }
  if (status === 400 || status === 422) return notice("err", "请填写正确的订单号（6-20 位字母或数字）和手机号后四位。");
  if (status === 404) return notice("err", "没有找到这个订单，请核对订单号和手机号后四位。");
  return notice("err", `查询失败（${status}），请稍后再试。`);
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  replace(msg);
  replace(result);
  if (!/^\d{4}$/.test(check.value.trim()) || !reference.value.trim()) {
    replace(msg, failure(400, null));
    return;
  }
  try {
    const res = await api<PatientOrderView>("POST", "/order-status", { json: { reference: reference.value, check: check.value.trim() } });
    if (res.ok) replace(result, view(res.body));
    else replace(msg, failure(res.status, res.headers.get("retry-after")));
  } catch {
    replace(msg, networkNotice());
  }
});

const initial = new URLSearchParams(location.search).get("reference");
if (initial) reference.value = initial;
