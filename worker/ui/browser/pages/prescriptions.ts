/**
 * /ui/prescriptions (我的处方). 待办: the doctor's inbox (GET /inbox), each notice in plain
 * words with the pharmacist's reason and the one action it calls for: 修改重开 (a pre-filled
 * draft in /ui/prescribe that replaces the prescription), 处理变更申请 (accept = sign the
 * pharmacist's proposal as a new prescription, or decline with a note), 联系患者 (the phone,
 * read from the patient's record), then 标记已处理. 全部处方: every prescription newest first
 * with its orders as a small timeline of instalments, reject reasons and a link to print.
 *
 * Keyboard: the tabs follow the ARIA tabs pattern (arrow keys move between them); every
 * action is a button or a link in reading order.
 */
import { frequencyWords } from "../../dose-words";
import { showInboxCount } from "../lib/inbox";
import {
  type ApiResult,
  api,
  badge,
  byId,
  type ChangeRequestView,
  type Child,
  clear,
  el,
  type InboxItem,
  type InboxKind,
  type InboxPage,
  label,
  networkNotice,
  notice,
  type OrderStatus,
  type Page,
  type PrescriptionListItem,
  type PrescriptionOrderLine,
  type ProposedItem,
  problemNotice,
  qty,
  replace,
  requireLogin,
  type Tone,
  uuid,
} from "../lib";
import { chinaDate, chinaDateTime, reasonText } from "./rx-text";

const msg = byId("msg", HTMLDivElement);
const tabInbox = byId("tab-inbox", HTMLButtonElement);
const tabAll = byId("tab-all", HTMLButtonElement);
const inboxPanel = byId("inbox-panel", HTMLElement);
const allPanel = byId("all-panel", HTMLElement);
const inboxState = byId("inbox-state", HTMLSelectElement);
const inboxSummary = byId("inbox-summary", HTMLSpanElement);
const inboxList = byId("inbox-list", HTMLDivElement);
const inboxOpen = byId("inbox-open", HTMLSpanElement);
const filter = byId("rx-filter", HTMLFormElement);
const scope = byId("rx-scope", HTMLSelectElement);
const status = byId("rx-status", HTMLSelectElement);
const patient = byId("rx-patient", HTMLInputElement);
const rxSummary = byId("rx-summary", HTMLParagraphElement);
const rxList = byId("rx-list", HTMLDivElement);
const more = byId("rx-more", HTMLButtonElement);
const page = byId("rx-page", HTMLDivElement);

const PAGE_SIZE = 20;

/** Calls the API; a thrown fetch becomes the network notice and null. */
async function call<T>(method: "GET" | "POST", path: string, opts: { json?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResult<T> | null> {
  try {
    return await api<T>(method, path, opts);
  } catch {
    replace(msg, networkNotice());
    return null;
  }
}

const printHref = (id: string) => `/ui/prescriptions/${encodeURIComponent(id)}/print`;
const fixHref = (id: string) => `/ui/prescribe?from=${encodeURIComponent(id)}`;
const patientHref = (id: string) => `/ui/patients/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------- tabs

type Tab = "inbox" | "all";
let tab: Tab = "inbox";

function syncUrl(): void {
  const p = new URLSearchParams();
  if (tab === "all") {
    p.set("tab", "all");
    if (scope.value !== "mine") p.set("scope", scope.value);
    if (status.value) p.set("status", status.value);
    if (patient.value.trim()) p.set("patientId", patient.value.trim());
  } else if (inboxState.value !== "open") p.set("state", inboxState.value);
  const query = p.toString();
  history.replaceState(null, "", `/ui/prescriptions${query ? `?${query}` : ""}`);
}

function select(next: Tab, focus = false): void {
  tab = next;
  for (const [button, panel, name] of [
    [tabInbox, inboxPanel, "inbox"],
    [tabAll, allPanel, "all"],
  ] as const) {
    const on = name === next;
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
  }
  if (focus) (next === "inbox" ? tabInbox : tabAll).focus();
  syncUrl();
  if (next === "inbox") void loadInbox();
  else void loadList(true);
}

for (const button of [tabInbox, tabAll]) {
  button.addEventListener("click", () => select(button === tabInbox ? "inbox" : "all"));
  button.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft" || ev.key === "Home" || ev.key === "End") {
      ev.preventDefault();
      const next: Tab = ev.key === "Home" ? "inbox" : ev.key === "End" ? "all" : tab === "inbox" ? "all" : "inbox";
      select(next, true);
    }
  });
}

// ---------------------------------------------------------------- inbox

const KIND_TONE: Record<InboxKind, Tone> = { rejected: "red", returned: "amber", expired: "grey", change_requested: "blue" };

/** What happened, as one sentence a doctor reads without knowing the order states. */
const WHAT_HAPPENED: Record<InboxKind, string> = {
  rejected: "药师审核未通过，处方被驳回。",
  returned: "药房无法配药，订单已退回，且没有其他药房可以承接。",
  expired: "患者超期未取药，订单已失效，这些药不再计入患者的在用药品。",
  change_requested: "药师建议调整这张处方，等您决定接受还是拒绝。",
};

function setInboxCount(open: number): void {
  inboxOpen.textContent = open > 0 ? String(open) : "";
  inboxOpen.hidden = open <= 0;
  tabInbox.classList.toggle("has-work", open > 0);
  showInboxCount(open);
}

let inboxSeq = 0;

async function loadInbox(focusFirst = false): Promise<void> {
  const mine = ++inboxSeq;
  page.setAttribute("aria-busy", "true");
  const res = await call<InboxPage>("GET", `/inbox?state=${encodeURIComponent(inboxState.value)}`);
  if (mine !== inboxSeq) return;
  page.removeAttribute("aria-busy");
  if (!res) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  setInboxCount(res.body.open);
  const items = res.body.items;
  replace(inboxList, items.map(inboxCard));
  inboxSummary.textContent =
    items.length === 0 ? (inboxState.value === "open" ? "没有待办，都处理完了。" : "没有记录。") : `${items.length} 条${inboxState.value === "open" ? "待办" : ""}，最新的在前。`;
  page.dataset.inbox = "ready";
  if (focusFirst) inboxList.querySelector<HTMLElement>("a.button, button")?.focus();
}

function inboxCard(n: InboxItem): HTMLElement {
  const reason = reasonText(n.reason);
  const rxId = n.prescriptionId;
  const panel = el("div", { class: "inbox-panel" });
  const actions: Child[] = [];
  if (n.actionable && !n.doneAt) {
    if (rxId && (n.kind === "rejected" || n.kind === "returned")) actions.push(el("a", { class: "button primary", href: fixHref(rxId), text: "修改重开" }));
    if (n.kind === "change_requested" && n.changeRequestId) {
      const crId = n.changeRequestId;
      actions.push(el("button", { type: "button", class: "primary", text: "处理变更申请", "aria-expanded": "false", onclick: (ev) => toggleChangeRequest(ev, crId, panel) }));
    }
  }
  if (n.kind === "expired" && !n.doneAt) {
    actions.push(el("button", { type: "button", class: "primary", text: "联系患者", onclick: (ev) => showPhone(ev, n.patientId, panel) }));
    if (rxId && n.actionable) actions.push(el("a", { class: "button", href: fixHref(rxId), text: "修改重开" }));
  }
  if (!n.doneAt) actions.push(el("button", { type: "button", class: "done", text: "标记已处理", onclick: (ev) => markDone(ev, n.id) }));
  return el(
    "article",
    { class: `inbox-item k-${n.kind}${n.doneAt ? " is-done" : ""}`, dataset: { id: n.id, kind: n.kind, prescriptionId: rxId ?? "" } },
    el(
      "div",
      { class: "inbox-head" },
      badge(label("inboxKind", n.kind), KIND_TONE[n.kind]),
      el("a", { class: "inbox-patient", href: patientHref(n.patientId), text: n.patientName || n.patientId }),
      el("span", { class: "muted", text: chinaDateTime(n.createdAt) }),
    ),
    el("p", { class: "inbox-what", text: WHAT_HAPPENED[n.kind] }),
    reason ? el("p", { class: "inbox-reason" }, el("span", { class: "cap", text: n.kind === "change_requested" ? "药师理由：" : "原因：" }), el("strong", { text: reason })) : null,
    // a change request's note is the pharmacist's reason for it
    n.note ? el("p", { class: "inbox-reason" }, el("span", { class: "cap", text: n.kind === "change_requested" ? "药师理由：" : "药师备注：" }), n.note) : null,
    el(
      "p",
      { class: "small muted" },
      rxId ? ["处方 ", el("a", { class: "mono", href: printHref(rxId), text: rxId }), " · "] : null,
      `订单 ${n.orderId}`,
      n.doneAt ? ` · 已于 ${chinaDateTime(n.doneAt)} 处理` : "",
      !n.actionable && !n.doneAt && n.kind !== "expired" ? " · 已无需操作（已处理或已被替代），可标记已处理" : "",
    ),
    actions.length ? el("div", { class: "inbox-actions" }, actions) : null,
    panel,
  );
}

async function markDone(ev: MouseEvent, id: string): Promise<void> {
  const button = ev.currentTarget instanceof HTMLButtonElement ? ev.currentTarget : null;
  if (button) button.disabled = true;
  const res = await call<unknown>("POST", `/inbox/${encodeURIComponent(id)}/done`);
  if (button) button.disabled = false;
  if (!res) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  clear(msg);
  await loadInbox(true);
}

async function showPhone(ev: MouseEvent, patientId: string, panel: HTMLElement): Promise<void> {
  const button = ev.currentTarget instanceof HTMLButtonElement ? ev.currentTarget : null;
  if (button) button.disabled = true;
  // the patient's record (an audited read): the phone is what the doctor calls
  const res = await call<{ name: string; phone: string | null }>("GET", `/patients/${encodeURIComponent(patientId)}`);
  if (button) button.disabled = false;
  if (!res) return;
  if (!res.ok) {
    replace(panel, problemNotice(res));
    return;
  }
  replace(
    panel,
    el(
      "div",
      { class: "contact" },
      res.body.phone ? ["电话 ", el("strong", { class: "phone", text: res.body.phone })] : "档案中没有电话。",
      " · ",
      el("a", { href: patientHref(patientId), text: "打开患者档案" }),
    ),
  );
}

// ---------------------------------------------------------------- change requests

function itemText(i: ProposedItem): string {
  const strength = i.strength ? ` ${qty(i.strength)}` : "";
  return `${i.genericName ?? i.drugCode}${strength} × ${i.packages}`;
}

function useText(i: ProposedItem): string {
  return `每次 ${qty(i.dose)}，${frequencyWords(i.frequency)}，${i.days} 天`;
}

/** The proposal's side of one line: what differs from the original is marked, so the change reads at a glance. */
function afterLine(text: string, before: string, cls = ""): HTMLDivElement {
  const changed = text !== before;
  return el("div", { class: [cls, changed ? "changed" : ""].filter(Boolean).join(" ") || null }, changed ? el("strong", { text }) : text, changed ? badge("改", "amber") : null);
}

async function toggleChangeRequest(ev: MouseEvent, id: string, panel: HTMLElement): Promise<void> {
  const button = ev.currentTarget instanceof HTMLButtonElement ? ev.currentTarget : null;
  if (button?.getAttribute("aria-expanded") === "true") {
    button.setAttribute("aria-expanded", "false");
    clear(panel);
    return;
  }
  const res = await call<ChangeRequestView>("GET", `/change-requests/${encodeURIComponent(id)}`);
  if (!res) return;
  if (!res.ok) {
    replace(panel, problemNotice(res));
    return;
  }
  button?.setAttribute("aria-expanded", "true");
  replace(panel, changeRequestView(res.body));
  panel.querySelector<HTMLElement>("textarea, button")?.focus();
}

function changeRequestView(cr: ChangeRequestView): HTMLElement {
  const diff = cr.proposal?.diff ?? [];
  const open = cr.status === "open";
  // one key per decision shown: a retry after a lost answer replays it instead of signing twice
  const key = uuid();
  const note = el("textarea", { id: `cr-note-${cr.id}`, class: "cr-note", maxlength: "500", placeholder: "拒绝时必填：告诉药师为什么" });
  const out = el("div", { "aria-live": "polite" });
  const accept = el("button", { type: "button", class: "primary", text: "接受并签署新处方" });
  const decline = el("button", { type: "button", class: "danger", text: "拒绝" });
  accept.addEventListener("click", async () => {
    accept.disabled = decline.disabled = true;
    const body = note.value.trim() ? { note: note.value.trim() } : {};
    const res = await call<{ prescription: { id: string } }>("POST", `/change-requests/${encodeURIComponent(cr.id)}/accept`, { json: body, headers: { "Idempotency-Key": key } });
    accept.disabled = decline.disabled = false;
    if (!res) return;
    if (!res.ok) {
      replace(out, problemNotice(res));
      return;
    }
    const newId = res.body.prescription.id;
    await loadInbox();
    replace(msg, notice("ok", "已接受药师的建议，新处方 ", el("a", { class: "mono", href: printHref(newId), text: newId }), " 已签署并替代原处方。"));
  });
  decline.addEventListener("click", async () => {
    if (!note.value.trim()) {
      replace(out, notice("warn", "拒绝时请写明理由，药师会看到。"));
      note.focus();
      return;
    }
    accept.disabled = decline.disabled = true;
    const res = await call<ChangeRequestView>("POST", `/change-requests/${encodeURIComponent(cr.id)}/decline`, { json: { note: note.value.trim() } });
    accept.disabled = decline.disabled = false;
    if (!res) return;
    if (!res.ok) {
      replace(out, problemNotice(res));
      return;
    }
    await loadInbox();
    replace(msg, notice("ok", "已拒绝变更申请，订单回到药房按原处方审核。"));
  });
  return el(
    "div",
    { class: "cr", dataset: { changeRequest: cr.id, status: cr.status } },
    diff.length
      ? el(
          "table",
          { class: "grid compact cr-diff" },
          el("thead", null, el("tr", null, el("th", { text: "原处方" }), el("th", { text: "建议改为" }))),
          el(
            "tbody",
            null,
            diff.map((d) =>
              el(
                "tr",
                null,
                el("td", null, el("div", { text: itemText(d.before) }), el("div", { class: "sub", text: useText(d.before) })),
                el(
                  "td",
                  { class: "after" },
                  afterLine(itemText(d.after), itemText(d.before)),
                  d.after.vbp ? badge("集采", "purple") : null,
                  afterLine(useText(d.after), useText(d.before), "sub"),
                ),
              ),
            ),
          ),
        )
      : el("p", { class: "muted", text: "无法读取建议的内容。" }),
    cr.findings.length ? el("ul", { class: "cr-findings" }, cr.findings.map((f) => el("li", null, badge(label("severity", f.severity), "amber"), f.message))) : null,
    open
      ? [
          el("label", { for: note.id, text: "给药师的说明" }),
          note,
          el("div", { class: "inbox-actions" }, accept, decline),
        ]
      : el("p", { class: "muted", text: `此申请${label("changeRequestStatus", cr.status)}。` }),
    out,
  );
}

// ---------------------------------------------------------------- all prescriptions

const RX_TONE: Record<PrescriptionListItem["status"], Tone> = { signed: "blue", completed: "green", cancelled: "grey", replaced: "grey" };

/** The order states as the doctor sees them: red needs the doctor, green is done. */
const ORDER_TONE: Partial<Record<OrderStatus, Tone>> = {
  scheduled: "neutral",
  pending_review: "amber",
  change_requested: "red",
  rejected: "red",
  returned: "red",
  expired: "red",
  awaiting_stock: "amber",
  approved: "blue",
  dispensing: "blue",
  ready_for_pickup: "cyan",
  shipped: "purple",
  picked_up: "green",
  delivered: "green",
  cancelled: "grey",
};

const NEEDS_DOCTOR: readonly OrderStatus[] = ["rejected", "returned", "expired"];

function orderStep(o: PrescriptionOrderLine): HTMLLIElement {
  const reason = reasonText(o.rejectReason);
  // dates matter between instalments (when the next one comes); a single order's date is the prescription's
  const when = o.instalments <= 1 ? null : o.status === "scheduled" ? `${chinaDate(o.releaseOn)} 起发放` : `${chinaDate(o.supplyFrom)} 起`;
  return el(
    "li",
    { class: "rx-step", dataset: { order: o.id, status: o.status } },
    el(
      "div",
      { class: "rx-step-head" },
      el("span", { class: "rx-step-n", text: o.instalments > 1 ? `第${o.instalment}/${o.instalments}次` : "订单" }),
      badge(label("orderStatus", o.status), ORDER_TONE[o.status] ?? "neutral"),
    ),
    el("span", { class: "sub", text: [o.pharmacyName, label("mode", o.mode), when].filter(Boolean).join(" · ") }),
    reason || o.rejectNote
      ? el("div", { class: "rx-reject" }, reason ? ["原因：", el("strong", { text: reason })] : null, o.rejectNote ? `（${o.rejectNote}）` : null)
      : null,
  );
}

function rxCard(rx: PrescriptionListItem): HTMLElement {
  const orders = [...rx.orders].sort((a, b) => a.instalment - b.instalment);
  const needsFix = rx.status === "signed" && !rx.replacedBy && orders.some((o) => NEEDS_DOCTOR.includes(o.status));
  return el(
    "article",
    { class: "rx-card", dataset: { id: rx.id, status: rx.status } },
    el(
      "div",
      { class: "rx-card-head" },
      el("button", {
        type: "button",
        class: "link rx-card-patient",
        text: rx.patientName || rx.patientId,
        title: "只看此患者的处方",
        onclick: () => {
          patient.value = rx.patientId;
          void loadList(true);
        },
      }),
      badge(label("kind", rx.kind), rx.kind === "long_term" ? "purple" : rx.kind === "emergency" ? "red" : "neutral"),
      badge(label("rxStatus", rx.status), RX_TONE[rx.status]),
      needsFix ? badge("需要您处理", "red") : null,
      el("span", { class: "muted", text: `${chinaDateTime(rx.writtenAt)} · ${rx.days} 天` }),
      el(
        "span",
        { class: "rx-card-links" },
        needsFix ? el("a", { class: "button primary", href: fixHref(rx.id), text: "修改重开" }) : null,
        el("a", { class: "button", href: printHref(rx.id), text: "打印处方笺" }),
      ),
    ),
    el("div", { class: "rx-card-drugs", text: rx.items.map((i) => `${i.genericName} ×${i.packages}`).join("、") }),
    rx.replaces || rx.replacedBy
      ? el(
          "div",
          { class: "small" },
          rx.replaces ? ["替代了处方 ", el("a", { class: "mono", href: printHref(rx.replaces), text: rx.replaces }), " "] : null,
          rx.replacedBy ? ["已被处方 ", el("a", { class: "mono", href: printHref(rx.replacedBy), text: rx.replacedBy }), " 替代"] : null,
        )
      : null,
    orders.length ? el("ol", { class: "rx-steps", "aria-label": "订单进度" }, orders.map(orderStep)) : el("p", { class: "small muted", text: "没有订单。" }),
    el("div", { class: "small muted mono", text: `${rx.id} · 患者 ${rx.patientId}` }),
  );
}

let listSeq = 0;
let cursor: string | null = null;

async function loadList(reset: boolean): Promise<void> {
  const mine = ++listSeq;
  if (reset) cursor = null;
  syncUrl();
  const p = new URLSearchParams({ scope: scope.value, limit: String(PAGE_SIZE) });
  if (status.value) p.set("status", status.value);
  if (patient.value.trim()) p.set("patientId", patient.value.trim());
  if (!reset && cursor) p.set("cursor", cursor);
  page.setAttribute("aria-busy", "true");
  const res = await call<Page<PrescriptionListItem>>("GET", `/prescriptions?${p.toString()}`);
  if (mine !== listSeq) return;
  page.removeAttribute("aria-busy");
  if (!res) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  clear(msg);
  if (reset) clear(rxList);
  for (const rx of res.body.items) rxList.appendChild(rxCard(rx));
  cursor = res.body.nextCursor;
  more.hidden = !cursor;
  const shown = rxList.childElementCount;
  const who = patient.value.trim() ? `患者 ${patient.value.trim()} 的` : "";
  rxSummary.textContent = shown === 0 ? `没有${who}处方。` : `${who}处方 ${shown} 张，最新的在前${cursor ? "，还有更多" : ""}。`;
  page.dataset.list = "ready";
}

filter.addEventListener("submit", (ev) => {
  ev.preventDefault();
  void loadList(true);
});
for (const s of [scope, status]) s.addEventListener("change", () => void loadList(true));
more.addEventListener("click", () => void loadList(false));
inboxState.addEventListener("change", () => {
  syncUrl();
  void loadInbox();
});

// ---------------------------------------------------------------- start

function start(): void {
  const who = requireLogin(msg, ["doctor", "admin"]);
  if (!who) {
    tabInbox.disabled = tabAll.disabled = true;
    return;
  }
  if (who.role === "admin") {
    // the inbox is a doctor's own; an admin reads the prescriptions only
    tabInbox.hidden = true;
    scope.disabled = true;
    select("all");
    return;
  }
  const q = new URLSearchParams(location.search);
  const state = q.get("state");
  if (state === "done" || state === "all") inboxState.value = state;
  const sc = q.get("scope");
  if (sc === "institution") scope.value = sc;
  const st = q.get("status") ?? "";
  if ([...status.options].some((o) => o.value === st)) status.value = st;
  patient.value = q.get("patientId") ?? "";
  const wantsAll = q.get("tab") === "all" || q.has("patientId") || q.has("status");
  select(wantsAll ? "all" : "inbox");
  // the badge of the other tab is worth having even when the list is shown first
  if (wantsAll) void loadInbox();
}

start();
