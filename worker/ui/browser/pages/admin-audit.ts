/**
 * /ui/admin/audit: the audit log, newest first, filtered by entity, actor, action and China
 * dates. The filters live in the query string (a link shows the same list), "更多" pages on
 * with the cursor, and each row expands into a field-by-field before/after comparison.
 */
import type { AuditEventView } from "../../../audit/audit.schemas";
import { LABELS } from "../../labels";
import { api, type Child, el, label, networkNotice, notice, type Page, problemNotice, replace, time } from "../lib";

const FILTERS = ["entityType", "entityId", "actorId", "action", "from", "to"] as const;
type FilterName = (typeof FILTERS)[number];

const PAGE = 50;

/** Field names that audit rows of members, pharmacies, reference tables and settings carry; formulary fields come from LABELS.field. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  ...LABELS.field,
  value: "值",
  version: "版本",
  isDefault: "国家默认",
  name: "名称",
  title: "职称",
  specialties: "专科",
  institutionId: "机构",
  pharmacyId: "药房",
  level: "级别",
  region: "地区",
  integration: "对接方式",
  capabilities: "能力",
  deliveryRegions: "配送地区",
  hours: "营业时间",
  endpointUrl: "外部系统地址",
  address: "地址",
  severity: "程度",
  note: "说明",
  source: "来源",
  a: "药物 A",
  b: "药物 B",
};

const fieldName = (key: string) => (FIELD_NAMES[key] ? `${FIELD_NAMES[key]} ${key}` : key);

function text(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** The fields of before and after side by side; changed ones marked (a creation or a read has one side). */
function diff(before: unknown, after: unknown): HTMLElement {
  const obj = (v: unknown): Record<string, unknown> | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : null);
  const b = obj(before);
  const a = obj(after);
  if (!b && !a) {
    return el("table", { class: "grid diff" }, el("tbody", null, el("tr", null, el("th", { text: "变更前" }), el("td", null, el("code", { text: text(before) || "—" }))), el("tr", null, el("th", { text: "变更后" }), el("td", null, el("code", { text: text(after) || "—" })))));
  }
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return el(
    "table",
    { class: "grid diff" },
    el("thead", null, el("tr", null, el("th", { text: "字段" }), el("th", { text: "变更前" }), el("th", { text: "变更后" }))),
    el(
      "tbody",
      null,
      keys.map((k) => {
        const x = text(b?.[k]);
        const y = text(a?.[k]);
        // a key on one side only (a field added to the record later) is not shown as a change
        const changed = Boolean(b && a) && b !== null && a !== null && k in b && k in a && x !== y;
        return el("tr", { class: changed ? "changed" : null }, el("th", { text: fieldName(k) }), el("td", null, el("code", { text: x || "—" })), el("td", null, el("code", { text: y || "—" }), changed ? el("span", { class: "badge warn", text: "已改" }) : null));
      }),
    ),
  );
}

function filterHref(params: Partial<Record<FilterName, string>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return `/ui/admin/audit?${q}`;
}

export async function auditView(root: HTMLElement, msg: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const inputs = new Map<FilterName, HTMLInputElement | HTMLSelectElement>();
  const entityTypes: Readonly<Record<string, string>> = LABELS.auditEntity;
  const entitySelect = el("select", { id: "f-entityType", name: "entityType" }, el("option", { value: "", text: "全部" }), Object.entries(entityTypes).map(([v, t]) => el("option", { value: v, text: `${t}（${v}）` })));
  const field = (name: FilterName, labelText: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement => {
    control.value = params.get(name) ?? "";
    if (control instanceof HTMLSelectElement && control.value !== (params.get(name) ?? "")) {
      // a type the table does not name yet (a link from elsewhere): keep it selectable
      const v = params.get(name) ?? "";
      control.append(el("option", { value: v, text: v }));
      control.value = v;
    }
    inputs.set(name, control);
    return el("label", { for: control.id }, labelText, control);
  };
  const dateInput = (name: FilterName) => {
    const i = el("input", { type: "date", id: `f-${name}`, name });
    return i;
  };
  const form = el(
    "form",
    { class: "card audit-filters no-print", role: "search" },
    el(
      "div",
      { class: "row" },
      field("entityType", "对象类型", entitySelect),
      field("entityId", "对象编号", el("input", { type: "text", id: "f-entityId", name: "entityId", maxlength: "64", autocomplete: "off", placeholder: "如 reviewTargetMinutes" })),
      field("actorId", "操作人编号", el("input", { type: "text", id: "f-actorId", name: "actorId", maxlength: "64", autocomplete: "off", placeholder: "如 admin-county" })),
      field("action", "动作", el("input", { type: "text", id: "f-action", name: "action", maxlength: "64", autocomplete: "off", placeholder: "settings.update 或 settings." })),
      field("from", "起始日期", dateInput("from")),
      field("to", "截止日期", dateInput("to")),
    ),
    el("div", { class: "actions" }, el("button", { type: "submit", class: "primary", text: "查询" }), el("a", { href: "/ui/admin/audit", text: "清除条件" }), el("button", { type: "button", text: "打印", onclick: () => print() })),
  );
  const summary = el("p", { class: "muted small", "aria-live": "polite" });
  const tbody = el("tbody");
  const table = el("table", { class: "grid audit-list" }, el("thead", null, el("tr", null, ["时间", "操作人", "动作", "对象", ""].map((t) => el("th", { text: t })))), tbody);
  const more = el("button", { type: "button", text: "加载更多", hidden: true });
  replace(root, form, summary, table, el("div", { class: "actions no-print" }, more));

  let cursor: string | null = null;
  let shown = 0;

  const current = (): Partial<Record<FilterName, string>> => Object.fromEntries(FILTERS.map((n) => [n, inputs.get(n)?.value.trim() ?? ""]).filter(([, v]) => v));

  const row = (e: AuditEventView): Child[] => {
    const detail = el("tr", { class: "audit-detail", hidden: true }, el("td", { colspan: "5" }, diff(e.before, e.after), el("p", { class: "small muted", text: `请求编号 ${e.requestId ?? "—"} · 记录 #${e.id}` })));
    const toggle = el("button", {
      type: "button",
      class: "link",
      text: "展开",
      "aria-expanded": "false",
      onclick: () => {
        detail.hidden = !detail.hidden;
        toggle.textContent = detail.hidden ? "展开" : "收起";
        toggle.setAttribute("aria-expanded", String(!detail.hidden));
      },
    });
    return [
      el(
        "tr",
        { dataset: { id: String(e.id), action: e.action } },
        el("td", { class: "nowrap", text: time(e.at) }),
        el("td", null, el("a", { href: filterHref({ actorId: e.actorId }), text: e.actorName ?? e.actorId }), el("span", { class: "sub", text: `${e.actorId} · ${label("role", e.actorRole)} · ${e.actorOrg}` })),
        el("td", null, el("code", { text: e.action })),
        el("td", null, el("a", { href: filterHref({ entityType: e.entityType, entityId: e.entityId }), text: `${label("auditEntity", e.entityType)} ${e.entityId}` })),
        el("td", { class: "no-print" }, toggle),
      ),
      detail,
    ];
  };

  const load = async (reset: boolean) => {
    const q = new URLSearchParams(current());
    q.set("limit", String(PAGE));
    if (!reset && cursor) q.set("cursor", cursor);
    try {
      const res = await api<Page<AuditEventView>>("GET", `/audit-events?${q}`);
      if (!res.ok) {
        replace(msg, problemNotice(res));
        return;
      }
      replace(msg);
      if (reset) {
        replace(tbody);
        shown = 0;
      }
      tbody.append(...res.body.items.flatMap((e) => row(e)).filter((n): n is HTMLTableRowElement => n instanceof HTMLTableRowElement));
      shown += res.body.items.length;
      cursor = res.body.nextCursor;
      more.hidden = !cursor;
      summary.textContent = shown ? `已显示 ${shown} 条${cursor ? "，还有更多" : ""}（最新在前）` : "没有符合条件的记录。";
    } catch {
      replace(msg, networkNotice());
    }
  };

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    history.replaceState(null, "", filterHref(current()));
    void load(true);
  });
  more.addEventListener("click", () => void load(false));
  if ([...params.keys()].some((k) => FILTERS.some((f) => f === k))) replace(msg, notice("info", "按链接中的条件筛选。"));
  await load(true);
}
