/**
 * /ui/desk (药房工作台): the queue per state with counts, oldest first, and /ui/desk/orders/{id}:
 * one order with what the pharmacist needs to judge it (signature check, the signed items with
 * the rule findings beside each, allergies, supply running elsewhere, instalments, timeline)
 * and the actions its state allows. Nothing here decides legality: the API does (a refused
 * action comes back as a problem notice). Review never passes by time: an overdue order is
 * only marked red.
 *
 * Hand-over is built for a keyboard-wedge scanner: on a ready order focus lands in the code
 * field, the scanner types six digits and Enter, and the answer is shown large in a live
 * region. The pickup code itself is never shown: staff only ever type what the patient shows.
 */
import { MAX_PICKUP_ATTEMPTS } from "../../../pharmacy/desk/pickup-limits";
import { DESK_RETURN_REASONS } from "../../../pharmacy/desk/returns.labels";
import {
  type ApiResult,
  api,
  badge,
  byId,
  type Child,
  clear,
  date,
  type DeskOrder,
  type DeskOrderDetail,
  el,
  type Finding,
  label,
  minutesText,
  networkNotice,
  notice,
  type OrderCounts,
  type OrderStatus,
  type Page,
  pack,
  problemNotice,
  type QueueOrder,
  qty,
  query,
  replace,
  requireLogin,
  type ReviewReasonList,
  type Tone,
  time,
} from "../lib";

const root = byId("desk", HTMLDivElement);
const msg = byId("msg", HTMLDivElement);
const PAGE = 30;

/** The queue's tabs, in the order a day's work moves through them; `work` is every open state. */
const TABS: readonly (OrderStatus | "work")[] = [
  "pending_review",
  "approved",
  "dispensing",
  "ready_for_pickup",
  "shipped",
  "awaiting_stock",
  "change_requested",
  "work",
];

const STATUS_TONE: Partial<Record<OrderStatus, Tone>> = {
  pending_review: "amber",
  approved: "blue",
  dispensing: "cyan",
  ready_for_pickup: "green",
  shipped: "purple",
  awaiting_stock: "red",
  change_requested: "amber",
  picked_up: "grey",
  delivered: "grey",
  rejected: "red",
  cancelled: "grey",
  returned: "grey",
  expired: "grey",
};

const statusBadge = (s: OrderStatus) => badge(label("orderStatus", s), STATUS_TONE[s] ?? "neutral");

/** Calls the API; a thrown fetch becomes the network notice and null. */
async function call<T>(method: "GET" | "POST", path: string, json?: unknown): Promise<ApiResult<T> | null> {
  try {
    return await api<T>(method, path, json === undefined ? {} : { json });
  } catch {
    replace(msg, networkNotice());
    return null;
  }
}

// ---------------------------------------------------------------- queue

const find = byId("find", HTMLInputElement);
const site = byId("site", HTMLSelectElement);
const mode = byId("mode", HTMLSelectElement);
const instalment = byId("instalment", HTMLSelectElement);
const tabs = byId("tabs", HTMLDivElement);
const table = byId("queue", HTMLTableElement);
const tbody = query("tbody", HTMLTableSectionElement, table);
const more = byId("more", HTMLButtonElement);
const summary = byId("summary", HTMLParagraphElement);
const siteNames = new Map([...document.querySelectorAll<HTMLLIElement>("#sites li")].map((li) => [li.dataset.id ?? "", li.textContent ?? ""]));

let tab: OrderStatus | "work" = "pending_review";
let cursor: string | null = null;
let seq = 0;

function filters(): URLSearchParams {
  const p = new URLSearchParams();
  if (site.value) p.set("siteId", site.value);
  if (mode.value) p.set("mode", mode.value);
  if (instalment.value) p.set("instalment", instalment.value);
  return p;
}

function orderHref(id: string): string {
  return `/ui/desk/orders/${encodeURIComponent(id)}`;
}

/** Whole minutes from `iso` to now: "overdue by 67 minutes" reads faster than a clock time at the end of a day. */
function minutesSince(iso: string): number {
  return Math.max(0, Math.floor((Date.now() - new Date(iso).getTime()) / 60_000));
}

function dueCell(o: QueueOrder): Child {
  if (o.status !== "pending_review" || !o.reviewDueAt) return statusBadge(o.status);
  return el(
    "div",
    { class: o.overdue ? "due overdue" : "due" },
    o.overdue ? el("strong", { text: `已超时 ${minutesText(minutesSince(o.reviewDueAt))}` }) : "审核时限",
    el("span", { class: o.overdue ? "sub" : null, text: o.overdue ? `时限 ${time(o.reviewDueAt)}` : ` ${time(o.reviewDueAt)}` }),
  );
}

function queueRow(o: QueueOrder): HTMLTableRowElement {
  const href = orderHref(o.id);
  const open = () => {
    location.href = href;
  };
  return el(
    "tr",
    {
      class: o.overdue ? "clickable overdue" : "clickable",
      tabindex: "0",
      dataset: { id: o.id, status: o.status },
      onclick: (ev) => {
        if (!(ev.target instanceof Element && ev.target.closest("a"))) open();
      },
      onkeydown: (ev) => {
        if (ev.key === "Enter") open();
      },
    },
    el("td", null, el("a", { href, class: "order-id", text: o.id }), el("span", { class: "sub", title: o.patientId, text: `患者 ${o.patientMaskedName ?? o.patientId}` })),
    el(
      "td",
      { class: "drugs" },
      o.items.map((i) => el("div", null, i.genericName, el("span", { class: "sub", text: ` ×${i.packages}` }))),
    ),
    el("td", null, badge(label("mode", o.mode), o.mode === "pickup" ? "blue" : "purple"), el("span", { class: "sub", text: o.pickupSiteId ? (siteNames.get(o.pickupSiteId) ?? o.pickupSiteId) : (o.address?.region ?? "") })),
    el("td", { class: "num", text: `${o.instalment}/${o.instalments}` }),
    el("td", { text: time(o.createdAt) }),
    el("td", null, dueCell(o)),
  );
}

async function loadCounts(): Promise<void> {
  const res = await call<OrderCounts>("GET", `/orders/counts?${filters().toString()}`);
  if (!res) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  const counts = res.body.byStatus;
  replace(
    tabs,
    TABS.map((t) => {
      const n = t === "work" ? null : (counts[t] ?? 0);
      return el(
        "button",
        {
          type: "button",
          role: "tab",
          class: n ? "tab has-work" : "tab",
          "aria-selected": t === tab ? "true" : "false",
          dataset: { status: t },
          onclick: () => {
            tab = t;
            refresh();
          },
        },
        t === "work" ? "全部进行中" : label("orderStatus", t),
        n === null ? null : el("span", { class: "count", text: n }),
      );
    }),
  );
}

/** The patient at the window, as typed (the API matches name, pinyin initials, phone tail, order id or reference). */
function findText(): string {
  return find.value.trim();
}

async function loadQueue(reset: boolean): Promise<void> {
  const mine = ++seq;
  const p = filters();
  p.set("status", tab);
  if (findText()) p.set("q", findText());
  p.set("limit", String(PAGE));
  if (!reset && cursor) p.set("cursor", cursor);
  root.setAttribute("aria-busy", "true");
  const res = await call<Page<QueueOrder>>("GET", `/orders?${p.toString()}`);
  if (mine !== seq) return;
  root.removeAttribute("aria-busy");
  if (!res) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  clear(msg);
  if (reset) clear(tbody);
  for (const o of res.body.items) tbody.appendChild(queueRow(o));
  cursor = res.body.nextCursor;
  more.hidden = !cursor;
  const shown = tbody.rows.length;
  table.hidden = shown === 0;
  const searched = findText() ? `“${findText()}”` : "";
  summary.textContent =
    shown === 0
      ? searched
        ? `此状态下没有找到${searched}的订单。`
        : "此状态下没有订单。"
      : `${searched ? `找到${searched}的订单 ` : "共显示 "}${shown} 单，最早的在前${cursor ? "，还有更多" : ""}。`;
  root.dataset.state = "ready";
}

function refresh(): void {
  const p = filters();
  p.set("status", tab);
  if (findText()) p.set("q", findText());
  history.replaceState(null, "", `/ui/desk?${p.toString()}`);
  loadCounts();
  loadQueue(true);
}

function startQueue(): void {
  const initial = new URLSearchParams(location.search);
  const s = initial.get("status");
  if (s && TABS.some((t) => t === s)) tab = TABS.find((t) => t === s) ?? tab;
  site.value = initial.get("siteId") || "";
  mode.value = initial.get("mode") || "";
  instalment.value = initial.get("instalment") || "";
  find.value = initial.get("q") || "";
  for (const select of [site, mode, instalment]) select.addEventListener("change", refresh);
  // as the pharmacist types (a pause of 250 ms), and at once on Enter or when cleared
  let typing: ReturnType<typeof setTimeout> | undefined;
  find.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(refresh, find.value ? 250 : 0);
  });
  find.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    clearTimeout(typing);
    refresh();
  });
  more.addEventListener("click", () => loadQueue(false));
  refresh();
}

// ---------------------------------------------------------------- one order

const orderBox = byId("order", HTMLDivElement);
const result = byId("result", HTMLDivElement);
const orderId = root.dataset.orderId ?? "";

function section(title: string, ...children: Child[]): HTMLElement {
  return el("section", { class: "card" }, el("h2", { text: title }), ...children);
}

function findingNode(f: Finding): HTMLDivElement {
  return el(
    "div",
    { class: `finding ${f.severity}`, dataset: { rule: f.ruleId } },
    badge(label("severity", f.severity), f.severity === "error" ? "red" : "amber"),
    el("span", { class: "rule", text: f.ruleId }),
    el("span", { text: f.message }),
    el("span", { class: "source", text: `依据：${f.source}` }),
  );
}

function verificationBadge(o: DeskOrderDetail): HTMLSpanElement {
  const v = o.prescription.verification;
  const ok = v.contentHashValid && v.signatureValid && o.prescription.content !== null;
  const b = badge(ok ? "签名有效 ✓" : "签名无效 ✗", ok ? "green" : "red");
  b.id = "verification";
  b.dataset.valid = String(ok);
  b.title = `密钥 ${v.keyId}；内容哈希${v.contentHashValid ? "一致" : "不一致"}，签名${v.signatureValid ? "有效" : "无效"}`;
  return b;
}

function prescriptionSection(o: DeskOrderDetail): HTMLElement {
  const c = o.prescription.content;
  if (!c) return section("处方内容", notice("err", "处方内容无法读取，不能审核通过。"));
  const general = o.findings.filter((f) => f.itemIndex === undefined);
  return section(
    "处方内容",
    el(
      "p",
      null,
      `${label("kind", o.prescription.kind)} · 开具于 ${time(o.prescription.writtenAt)} · ${o.prescription.days} 天 · 医师 `,
      // the doctor by name (their id in the tooltip), as the 处方笺 names them
      el("strong", { title: o.prescription.prescriberId, text: o.prescription.prescriberName ?? o.prescription.prescriberId }),
      c.prescriber ? `（${label("title", c.prescriber.title)}）` : "",
      ` · ${o.prescription.institutionName ?? o.prescription.institutionId}`,
    ),
    el("p", null, el("strong", { text: "诊断：" }), c.diagnoses.map((d) => `${d.name ?? ""}（${d.icd10}）`).join("、")),
    c.extendedReason ? el("p", null, el("strong", { text: "延长用量理由：" }), c.extendedReason) : null,
    c.longTerm ? el("p", null, el("strong", { text: "长期处方评估：" }), c.longTerm.assessment, c.longTerm.patientConfirmed ? "（患者已确认）" : "（患者未确认）") : null,
    el(
      "ol",
      { class: "rx-items" },
      c.items.map((item, index) =>
        el(
          "li",
          { dataset: { item: String(index), code: item.drugCode } },
          el(
            "div",
            { class: "rx-line" },
            el("strong", { text: item.genericName ?? item.drugCode }),
            ` ${item.form ?? ""} ${qty(item.strength)} × ${pack(item.pack)}`,
            el("span", { class: "sub", text: item.drugCode }),
          ),
          el("div", {
            class: "rx-use",
            text: [`每次 ${qty(item.dose)}`, label("frequency", item.frequency), item.route ? label("route", item.route) : null, `${item.days} 天`, `共 ${item.packages} 盒`].filter(Boolean).join(" · "),
          }),
          o.findings.filter((f) => f.itemIndex === index).map(findingNode),
        ),
      ),
    ),
    general.length ? el("div", { class: "findings" }, el("h3", { text: "整张处方" }), general.map(findingNode)) : null,
    o.findings.length === 0 ? el("p", { class: "muted", text: "规则引擎未提示问题。" }) : null,
  );
}

function patientSection(o: DeskOrderDetail): HTMLElement {
  return section(
    "患者",
    o.patient
      ? el("p", { class: "patient" }, el("strong", { text: o.patient.name }), ` · ${label("gender", o.patient.gender)} · ${o.patient.age} · ${date(o.patient.birthDate)} 出生 · ${o.patient.id}`)
      : el("p", { text: o.patientId }),
    el(
      "div",
      { id: "allergies", class: o.allergies.length ? "allergies has" : "allergies" },
      el("strong", { text: "过敏史：" }),
      o.allergies.length ? o.allergies.map((a) => badge(`${a.substance}${a.reaction ? `（${a.reaction}）` : ""}`, "red")) : "无记录",
    ),
  );
}

function supplySection(o: DeskOrderDetail): HTMLElement {
  return section(
    "医共体内在用药品",
    o.activeSupply.length
      ? el(
          "table",
          { class: "grid compact" },
          el("thead", null, el("tr", null, ["药品", "开具机构", "起", "止（不含）", ""].map((h) => el("th", { text: h })))),
          el(
            "tbody",
            null,
            o.activeSupply.map((s) =>
              el(
                "tr",
                null,
                el("td", { class: "nowrap", text: s.genericName }),
                el("td", { text: s.institutionName ?? s.institutionId }),
                el("td", { class: "date", text: s.startDate }),
                el("td", { class: "date", text: s.endDate }),
                el("td", null, s.thisPrescription ? badge("本处方", "grey") : badge("其他处方", "amber")),
              ),
            ),
          ),
        )
      : el("p", { class: "muted", text: "无在用供药。" }),
  );
}

function scheduleSection(o: DeskOrderDetail): HTMLElement | null {
  if (o.schedule.length <= 1) return null;
  return section(
    "分次发药",
    el(
      "table",
      { class: "grid compact" },
      el("thead", null, el("tr", null, ["次", "发放日", "供药起", "天数", "状态"].map((h) => el("th", { text: h })))),
      el(
        "tbody",
        null,
        o.schedule.map((s) =>
          el(
            "tr",
            { class: s.current ? "current" : null },
            el("td", { text: `${s.instalment}/${o.instalments}${s.current ? "（本单）" : ""}` }),
            el("td", { class: "date", text: s.releaseOn }),
            el("td", { class: "date", text: s.supplyFrom }),
            el("td", { class: "num", text: s.days }),
            el("td", null, statusBadge(s.status)),
          ),
        ),
      ),
    ),
  );
}

function dispensationSection(o: DeskOrderDetail): HTMLElement | null {
  if (!o.dispensations.length) return null;
  return section(
    "调配记录",
    el(
      "table",
      { class: "grid compact" },
      el("thead", null, el("tr", null, ["轮次", "药品", "盒数", "批号", "有效期至", "时间"].map((h) => el("th", { text: h })))),
      el(
        "tbody",
        null,
        o.dispensations.map((d) =>
          el(
            "tr",
            null,
            el("td", { class: "num", text: d.round }),
            el("td", { text: o.items[d.index]?.genericName ?? d.drugCode }),
            el("td", { class: "num", text: d.packages }),
            el("td", { text: d.lotNo }),
            el("td", { text: d.expiry }),
            el("td", { text: time(d.at) }),
          ),
        ),
      ),
    ),
  );
}

function timelineSection(o: DeskOrderDetail): HTMLElement {
  return section(
    "时间线",
    el(
      "ol",
      { class: "timeline" },
      o.timeline.map((e) =>
        el(
          "li",
          null,
          el("span", { class: "when", text: time(e.at) }),
          statusBadge(e.toStatus),
          el("span", { class: "sub", text: ` ${label("orderSource", e.source)}${e.source === "system" ? "" : ` · ${e.actorName ?? e.actorId}`}` }),
          e.note ? el("div", { class: "note", text: e.note }) : null,
        ),
      ),
    ),
  );
}

/** Posts an action; success reloads the order, failure shows the problem and leaves the form as it is. */
async function act(path: string, json: unknown, done: string): Promise<boolean> {
  const res = await call<DeskOrder>("POST", `/orders/${encodeURIComponent(orderId)}/${path}`, json);
  if (!res) return false;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return false;
  }
  replace(msg, notice("ok", done));
  await loadOrder();
  return true;
}

function button(text: string, onclick: () => void, cls = ""): HTMLButtonElement {
  return el("button", { type: "button", class: cls || null, onclick }, text);
}

function field(text: string, control: HTMLElement): HTMLLabelElement {
  return el("label", { class: "field" }, el("span", { text }), control);
}

async function reviewForm(): Promise<HTMLElement> {
  const reasons = el("select", { id: "reject-reason" }, el("option", { value: "", text: "请选择处方点评理由" }));
  const res = await call<ReviewReasonList>("GET", "/orders/review-reasons");
  if (res?.ok) {
    for (const c of res.body.categories) {
      reasons.appendChild(el("optgroup", { label: c.label }, c.reasons.map((r) => el("option", { value: r.code, text: r.label }))));
    }
  } else if (res) replace(msg, problemNotice(res));
  const note = el("textarea", { id: "review-note", maxlength: "500", placeholder: "给医生的说明（可选）" });
  const trimmed = () => note.value.trim() || undefined;
  return el(
    "div",
    { class: "action-panel" },
    el("h2", { text: "处方审核" }),
    el("div", { class: "actions" }, button("审核通过", () => act("review", { decision: "approve", note: trimmed() }, "已审核通过。"), "primary big")),
    el(
      "details",
      { class: "reject" },
      el("summary", { text: "驳回处方…" }),
      field("处方点评理由", reasons),
      field("说明", note),
      button(
        "驳回",
        () => {
          if (!reasons.value) {
            replace(msg, notice("warn", "驳回需要选择处方点评理由。"));
            reasons.focus();
            return;
          }
          act("review", { decision: "reject", reasonCode: reasons.value, note: trimmed() }, "已驳回，医生会收到通知。");
        },
        "danger",
      ),
    ),
  );
}

function dispenseForm(o: DeskOrderDetail): HTMLElement {
  const rows = o.items.flatMap((item, index) => {
    const remaining = item.packages - item.supplied;
    if (remaining <= 0) return [];
    const packages = el("input", { type: "number", class: "packages", min: "0", max: String(remaining), step: "1", value: String(remaining), "aria-label": `${item.genericName} 盒数` });
    const lot = el("input", { type: "text", class: "lot", maxlength: "40", autocomplete: "off", placeholder: "批号", "aria-label": `${item.genericName} 批号` });
    const expiry = el("input", { type: "text", class: "expiry", maxlength: "10", autocomplete: "off", placeholder: "YYYY-MM", pattern: "\\d{4}-\\d{2}(-\\d{2})?", "aria-label": `${item.genericName} 有效期至` });
    const tr = el(
      "tr",
      { dataset: { index: String(index), code: item.drugCode } },
      el("td", null, el("strong", { text: item.genericName }), el("span", { class: "sub", text: item.drugCode })),
      el("td", { class: "num", text: `${remaining} / ${item.packages}` }),
      el("td", null, packages),
      el("td", null, lot),
      el("td", null, expiry),
    );
    return [{ index, tr, packages, lot, expiry }];
  });
  const done = o.items.filter((item) => item.packages - item.supplied <= 0);
  const submit = () => {
    const items = rows.map((r) => {
      const n = Number(r.packages.value || "0");
      return n > 0 ? { index: r.index, packages: n, lotNo: r.lot.value.trim(), expiry: r.expiry.value.trim() } : { index: r.index, packages: 0 };
    });
    const held = items.filter((i) => i.packages === 0).length;
    act("dispense", { items }, held || items.some((i, k) => i.packages < Number(rows[k]?.packages.max)) ? "已调配；不足部分为缺货待补。" : "已调配。");
  };
  return el(
    "div",
    { class: "action-panel" },
    el("h2", { text: o.status === "awaiting_stock" ? "补货调配" : "调配" }),
    el("p", { class: "muted", text: "盒数默认为应发余量；填 0 表示缺货，待到货后再调配。" }),
    el(
      "table",
      { class: "grid dispense" },
      el("thead", null, el("tr", null, ["药品", "应发 / 共", "本次盒数", "批号", "有效期至"].map((h) => el("th", { text: h })))),
      el(
        "tbody",
        null,
        rows.map((r) => r.tr),
        done.map((item) =>
          el(
            "tr",
            { class: "done", dataset: { code: item.drugCode } },
            el("td", null, el("strong", { text: item.genericName }), el("span", { class: "sub", text: item.drugCode })),
            el("td", { class: "num", text: `0 / ${item.packages}` }),
            el("td", { colspan: "3", text: "已发齐 ✓" }),
          ),
        ),
      ),
    ),
    el("div", { class: "actions" }, button("确认调配", submit, "primary big")),
  );
}

function handoverForm(o: DeskOrderDetail): HTMLElement {
  const code = el("input", {
    id: "pickup-code",
    type: "text",
    inputmode: "numeric",
    autocomplete: "off",
    maxlength: "6",
    pattern: "\\d{6}",
    placeholder: "扫码 / 输入取药码",
    "aria-label": "取药码",
    "aria-describedby": "result",
  });
  const submit = async () => {
    const value = code.value.trim();
    code.value = ""; // the code is the patient's: never left on the screen
    if (!/^\d{6}$/.test(value)) {
      replace(result, el("span", { class: "bad", text: "请输入 6 位数字取药码" }));
      code.focus();
      return;
    }
    const res = await call<DeskOrder>("POST", `/orders/${encodeURIComponent(orderId)}/handover`, { pickupCode: value });
    if (!res) return;
    if (res.ok) {
      const rest = res.body.status === "awaiting_stock";
      replace(result, el("span", { class: "good", text: rest ? "已发药 ✓ 缺货部分待补" : "已发药 ✓" }));
      result.dataset.outcome = "ok";
      clear(msg);
      await loadOrder();
      return;
    }
    result.dataset.outcome = "wrong";
    clear(msg); // an earlier "ready" notice next to a wrong code would only confuse
    if (res.status === 409) {
      const fresh = await call<DeskOrderDetail>("GET", `/orders/${encodeURIComponent(orderId)}`);
      const left = fresh?.ok ? MAX_PICKUP_ATTEMPTS - fresh.body.pickupAttempts : 0;
      replace(result, el("span", { class: "bad", text: fresh?.ok && fresh.body.pickupCodeValid ? `取药码错误，剩余 ${left} 次` : "取药码已失效，请重新发送取药码" }));
      if (fresh?.ok) render(fresh.body);
    } else {
      replace(result, el("span", { class: "bad", text: "发药失败" }));
      replace(msg, problemNotice(res));
    }
  };
  code.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      submit();
    }
  });
  const reissueReason = el("input", { type: "text", maxlength: "200", placeholder: "原因，如：患者短信丢失" });
  return el(
    "div",
    { class: "action-panel handover" },
    el("h2", { text: "取药核对" }),
    o.pickupCodeValid ? null : notice("warn", "取药码已失效（错误次数过多），请重新发送取药码。"),
    el(
      "p",
      { class: "handing" },
      el("strong", { text: "本次交付：" }),
      o.items
        .filter((i) => i.dispensed > 0)
        .map((i) => `${i.genericName} ×${i.dispensed}`)
        .join("、"),
      o.partial ? el("span", { class: "held", text: `（缺货待补：${o.items.filter((i) => i.held > 0).map((i) => `${i.genericName} ×${i.held}`).join("、")}）` }) : null,
    ),
    el("div", { class: "code-row" }, code, button("核对发药", submit, "primary big")),
    el("p", { class: "muted", text: `错误 ${o.pickupAttempts} 次（第 ${MAX_PICKUP_ATTEMPTS} 次错误后作废）。取药码只发给患者，系统不显示。` }),
    el(
      "details",
      null,
      el("summary", { text: "重新发送取药码…" }),
      field("原因", reissueReason),
      button("重新发送", () => act("reissue-pickup-code", { reason: reissueReason.value.trim() }, "新取药码已发送到患者手机。")),
    ),
  );
}

function shipForm(): HTMLElement {
  const carrier = el("input", { type: "text", id: "carrier", maxlength: "50", placeholder: "如：中国邮政" });
  const tracking = el("input", { type: "text", id: "tracking-no", maxlength: "40", autocomplete: "off", placeholder: "运单号" });
  return el(
    "div",
    { class: "action-panel" },
    el("h2", { text: "发货" }),
    el("div", { class: "actions" }, field("承运商", carrier), field("运单号", tracking), button("发货", () => act("ship", { carrier: carrier.value.trim(), trackingNo: tracking.value.trim() }, "已发货。"), "primary big")),
  );
}

/** Cancel and return: rarer, so folded away, each asking for its reason. */
function otherActions(o: DeskOrderDetail): HTMLElement | null {
  const cancellable = !["picked_up", "delivered", "cancelled", "rejected", "returned", "expired"].includes(o.status);
  const returnable = ["pending_review", "approved", "awaiting_stock", "change_requested"].includes(o.status);
  if (!cancellable && !returnable) return null;
  const cancelReason = el("input", { type: "text", id: "cancel-reason", maxlength: "500", placeholder: "取消原因" });
  const returnReason = el(
    "select",
    { id: "return-reason" },
    Object.entries(DESK_RETURN_REASONS).map(([value, text]) => el("option", { value, text })),
  );
  const returnNote = el("input", { type: "text", maxlength: "300", placeholder: "说明（“其他原因”必填）" });
  return el(
    "details",
    { class: "other-actions" },
    el("summary", { text: "取消或退回订单…" }),
    returnable
      ? el(
          "div",
          { class: "actions" },
          field("退回原因", returnReason),
          field("说明", returnNote),
          button("退回", async () => {
            const res = await call("POST", `/orders/${encodeURIComponent(orderId)}/return`, { reasonCode: returnReason.value, note: returnNote.value.trim() || undefined });
            if (!res) return;
            if (!res.ok) replace(msg, problemNotice(res));
            else {
              replace(msg, notice("ok", "已退回。"));
              await loadOrder();
            }
          }),
        )
      : null,
    cancellable ? el("div", { class: "actions" }, field("取消原因", cancelReason), button("取消订单", () => act("cancel", { reason: cancelReason.value.trim() }, "订单已取消。"), "danger")) : null,
  );
}

async function actionsFor(o: DeskOrderDetail): Promise<Child> {
  switch (o.status) {
    case "pending_review":
      return reviewForm();
    case "approved":
    case "awaiting_stock":
      return dispenseForm(o);
    case "dispensing":
      return o.mode === "pickup"
        ? el(
            "div",
            { class: "action-panel" },
            el("h2", { text: "备药" }),
            o.partial ? notice("warn", "部分药品缺货：本次只发已调配的部分，其余到货后补发。") : null,
            el("div", { class: "actions" }, button("备好待取（短信通知患者）", () => act("ready", undefined, "已备好，取药码已发给患者。"), "primary big")),
          )
        : shipForm();
    case "ready_for_pickup":
      return handoverForm(o);
    case "shipped":
      return el("div", { class: "action-panel" }, el("h2", { text: "配送" }), el("p", { text: `${o.carrier ?? ""} ${o.trackingNo ?? ""}` }), button("确认送达", () => act("deliver", undefined, "已送达。"), "primary big"));
    default:
      return null;
  }
}

function headerOf(o: DeskOrderDetail): HTMLElement {
  const where = o.pickupSite ? `${o.pickupSite.name}（${o.pickupSite.address}）` : o.address ? `${o.address.region} ${o.address.line}` : "";
  return el(
    "div",
    { class: "order-head" },
    el("h1", null, `订单 ${o.id} `, statusBadge(o.status), " ", verificationBadge(o)),
    el(
      "p",
      { class: "meta" },
      badge(label("mode", o.mode), o.mode === "pickup" ? "blue" : "purple"),
      ` ${where} · 第 ${o.instalment}/${o.instalments} 次 · 供药 ${o.supplyFrom} 起 ${o.days} 天 · 创建 ${time(o.createdAt)}`,
      o.partial ? [" ", badge("部分缺货", "red")] : null,
    ),
    o.status === "pending_review" && o.reviewDueAt
      ? el("p", { class: o.overdue ? "due overdue" : "due" }, o.overdue ? el("strong", { text: "已超时 " }) : "审核时限 ", time(o.reviewDueAt), o.overdue ? "（不会自动通过，请尽快审核）" : "")
      : null,
    o.rejectReason ? el("p", null, el("strong", { text: "驳回理由：" }), o.rejectReason, o.rejectNote ? ` — ${o.rejectNote}` : "") : null,
  );
}

let current: DeskOrderDetail | null = null;

async function render(o: DeskOrderDetail): Promise<void> {
  const statusChanged = current?.status !== o.status;
  current = o;
  root.dataset.status = o.status;
  replace(
    orderBox,
    headerOf(o),
    el("div", { id: "actions" }, await actionsFor(o), otherActions(o)),
    el("div", { class: "order-grid" }, el("div", null, prescriptionSection(o), dispensationSection(o)), el("div", null, patientSection(o), supplySection(o), scheduleSection(o), timelineSection(o))),
  );
  if (o.status === "ready_for_pickup") document.getElementById("pickup-code")?.focus();
  else if (statusChanged && o.status !== "picked_up" && o.status !== "awaiting_stock") clear(result);
  root.dataset.state = "ready";
}

async function loadOrder(): Promise<void> {
  const res = await call<DeskOrderDetail>("GET", `/orders/${encodeURIComponent(orderId)}`);
  if (!res) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  await render(res.body);
}

if (requireLogin(msg, ["pharmacist", "admin"])) {
  if (orderId) loadOrder();
  else startQueue();
}
