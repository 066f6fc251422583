/**
 * /ui/admin/<view>: the admins' console over the existing API (members, pharmacies,
 * reference tables, settings, audit log). Each view lists, creates and edits through the
 * same form helper (admin-form.ts), which puts problem+json issues next to their fields.
 * Lists are small (a county consortium), so each loads whole and filters in the page.
 */
import type { Institution, Practitioner, SpecialtyRelation } from "../../../members/members.schemas";
import type { Pharmacist } from "../../../members/pharmacists.schemas";
import type { Pharmacy } from "../../../pharmacy/pharmacies/pharmacies.schemas";
import type { Interaction } from "../../../reference/reference.schemas";
import { PHARMACIST_TITLES } from "../../../../schema/enums";
import { LABELS } from "../../labels";
import { type ApiResult, api, byId, type Child, el, label, type LabelGroup, networkNotice, notice, type Page, problemNotice, replace, requireLogin, time } from "../lib";
import { auditView } from "./admin-audit";
import { buildForm, done, type Field, type FormHandle, type Option, type Values } from "./admin-form";
import { settingsView } from "./admin-settings";

const msg = byId("msg", HTMLDivElement);
const root = document.getElementById("admin");

/** Every page of a listing (at most 100 a page); null after showing the problem. */
export async function loadAll<T>(path: string): Promise<T[] | null> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res: ApiResult<Page<T>> = await api<Page<T>>("GET", `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return null;
    }
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

export const optionsOf = (group: LabelGroup, only?: readonly string[]): Option[] =>
  Object.keys(LABELS[group])
    .filter((v) => !only || only.includes(v))
    .map((value) => ({ value, text: label(group, value) }));

const DOCTOR_TITLES = ["junior", "intermediate", "associate_senior", "senior"] as const;
const labels = (group: LabelGroup, values: readonly string[]) => values.map((v) => label(group, v)).join("、") || "—";

/** A list with a toolbar (search, new), a table and, below, the form being edited. */
function listShell(opts: { searchLabel: string; newText?: string; onNew?: () => void; extra?: Child }) {
  const search = el("input", { type: "search", placeholder: opts.searchLabel, "aria-label": opts.searchLabel, autocomplete: "off" });
  const count = el("span", { class: "muted small", "aria-live": "polite" });
  const tbody = el("tbody");
  const thead = el("thead");
  const table = el("table", { class: "grid admin-list" }, thead, tbody);
  const editor = el("div", { class: "no-print" });
  const toolbar = el(
    "div",
    { class: "toolbar no-print" },
    search,
    opts.extra,
    opts.newText ? el("button", { type: "button", class: "primary", text: opts.newText, onclick: () => opts.onNew?.(), "aria-keyshortcuts": "Alt+N" }) : null,
    el("button", { type: "button", text: "打印列表", onclick: () => print() }),
    count,
  );
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey && ev.key.toLowerCase() === "n" && opts.onNew) {
      ev.preventDefault();
      opts.onNew();
    }
    if (ev.key === "/" && !(ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement || ev.target instanceof HTMLSelectElement)) {
      ev.preventDefault();
      search.focus();
    }
  });
  return { search, count, tbody, thead, table, editor, node: el("div", null, toolbar, editor, table) };
}

function headRow(...cells: string[]): HTMLTableRowElement {
  return el("tr", null, cells.map((c) => el("th", { text: c })));
}

/** Shows a form in the editor slot and focuses its first field; the caller reloads on success. */
function openForm(slot: HTMLElement, h: FormHandle): void {
  replace(slot, h.form);
  h.focusFirst();
  h.form.scrollIntoView({ block: "nearest" });
}

/** Sends a form's body; on success shows `okText`, closes the form and reloads. */
async function send(h: FormHandle, method: "POST" | "PATCH" | "PUT", path: string, body: Record<string, unknown>, okText: string, after: () => Promise<void>, slot: HTMLElement) {
  if (method === "PATCH" && Object.keys(body).length === 0) {
    replace(msg, notice("info", "没有修改。"));
    return;
  }
  try {
    const res = await api(method, path, { json: body });
    if (!res.ok) {
      h.showProblem(res);
      return;
    }
    replace(slot);
    replace(msg, done(okText));
    await after();
  } catch {
    replace(msg, networkNotice());
  }
}

const matches = (q: string, ...texts: (string | null | undefined)[]) => !q || texts.some((t) => t?.toLowerCase().includes(q.toLowerCase()));

// ---------------------------------------------------------------------------------------
// 机构
// ---------------------------------------------------------------------------------------

async function institutionsView(node: HTMLElement): Promise<void> {
  let all: Institution[] = [];
  const shell = listShell({ searchLabel: "按名称、编号或地区筛选", newText: "新增机构", onNew: () => create() });
  shell.thead.append(headRow("编号", "名称", "级别", "地区", "登记时间", ""));
  replace(node, shell.node);
  const fields: Field[] = [
    { name: "id", label: "机构编号", kind: "text", required: true, hint: "字母、数字、. _ -，如 inst-taoyuan；登记后不可改", maxlength: 64 },
    { name: "name", label: "名称", kind: "text", required: true, maxlength: 100 },
    { name: "level", label: "级别", kind: "select", required: true, options: optionsOf("minLevel") },
    { name: "region", label: "地区", kind: "text", required: true, hint: "如 青溪县/桃源镇", maxlength: 100 },
  ];
  const create = () => {
    const h = buildForm({ legend: "新增机构", fields, values: { level: "primary" }, submitText: "登记", onCancel: () => replace(shell.editor), onSubmit: (f) => send(f, "POST", "/institutions", f.body(), "机构已登记。", reload, shell.editor) });
    openForm(shell.editor, h);
  };
  const show = (i: Institution) => {
    replace(
      shell.editor,
      el(
        "div",
        { class: "card" },
        el("h2", { text: i.name }),
        el("dl", { class: "fields" }, el("dt", { text: "编号" }), el("dd", null, el("code", { text: i.id })), el("dt", { text: "级别" }), el("dd", { text: label("minLevel", i.level) }), el("dt", { text: "地区" }), el("dd", { text: i.region }), el("dt", { text: "登记时间" }), el("dd", { text: time(i.createdAt) })),
        el("p", null, el("a", { href: `/ui/admin/practitioners?institution=${encodeURIComponent(i.id)}`, text: "本机构医师" }), " · ", el("a", { href: `/ui/admin/audit?entityType=institution&entityId=${encodeURIComponent(i.id)}`, text: "变更记录" })),
        el("button", { type: "button", text: "关闭", onclick: () => replace(shell.editor) }),
      ),
    );
  };
  const render = () => {
    const q = shell.search.value.trim();
    const rows = all.filter((i) => matches(q, i.id, i.name, i.region));
    shell.count.textContent = `共 ${rows.length} 家`;
    replace(
      shell.tbody,
      rows.map((i) =>
        el("tr", { dataset: { id: i.id } }, el("td", null, el("code", { text: i.id })), el("td", { text: i.name }), el("td", { text: label("minLevel", i.level) }), el("td", { text: i.region }), el("td", { text: time(i.createdAt) }), el("td", { class: "no-print" }, el("button", { type: "button", class: "link", text: "查看", onclick: () => show(i) }))),
      ),
    );
  };
  const reload = async () => {
    all = (await loadAll<Institution>("/institutions")) ?? all;
    render();
  };
  shell.search.addEventListener("input", render);
  await reload();
}

// ---------------------------------------------------------------------------------------
// 医师
// ---------------------------------------------------------------------------------------

async function practitionersView(node: HTMLElement): Promise<void> {
  const institutions = (await loadAll<Institution>("/institutions")) ?? [];
  const instName = new Map(institutions.map((i) => [i.id, i.name]));
  const instOptions = institutions.map((i) => ({ value: i.id, text: `${i.name}（${i.id}）` }));
  const filter = el("select", { "aria-label": "按机构筛选", id: "institution-filter" }, el("option", { value: "", text: "全部机构" }), instOptions.map((o) => el("option", { value: o.value, text: o.text })));
  filter.value = new URLSearchParams(location.search).get("institution") ?? "";
  let all: Practitioner[] = [];
  const shell = listShell({ searchLabel: "按姓名或编号筛选", newText: "新增医师", onNew: () => create(), extra: el("label", { class: "inline" }, "机构", filter) });
  shell.thead.append(headRow("编号", "姓名", "机构", "职称", "专科", ""));
  replace(node, shell.node);
  const editable: Field[] = [
    { name: "name", label: "姓名", kind: "text", required: true, maxlength: 100 },
    { name: "title", label: "职称", kind: "select", required: true, options: optionsOf("title", DOCTOR_TITLES) },
    { name: "specialties", label: "专科（可多选）", kind: "checks", options: optionsOf("specialty") },
  ];
  const create = () => {
    const h = buildForm({
      legend: "新增医师",
      fields: [{ name: "id", label: "医师编号", kind: "text", required: true, hint: "即其登录令牌的 sub，如 doc-taoyuan-gp-2；登记后不可改", maxlength: 64 }, { name: "institutionId", label: "机构", kind: "select", required: true, options: instOptions }, ...editable],
      values: { institutionId: filter.value || undefined, title: "intermediate" },
      submitText: "登记",
      onCancel: () => replace(shell.editor),
      onSubmit: (f) => send(f, "POST", "/practitioners", f.body(), "医师已登记。", reload, shell.editor),
    });
    openForm(shell.editor, h);
  };
  const edit = (p: Practitioner) => {
    const values: Values = { name: p.name, title: p.title, specialties: p.specialties };
    const h = buildForm({
      legend: `修改医师：${p.name}（${p.id}，${instName.get(p.institutionId) ?? p.institutionId}）`,
      fields: editable,
      values,
      submitText: "保存修改",
      onCancel: () => replace(shell.editor),
      onSubmit: (f) => send(f, "PATCH", `/practitioners/${encodeURIComponent(p.id)}`, f.body(values), "医师信息已保存。", reload, shell.editor),
    });
    openForm(shell.editor, h);
  };
  const render = () => {
    const q = shell.search.value.trim();
    const rows = all.filter((p) => matches(q, p.id, p.name));
    shell.count.textContent = `共 ${rows.length} 名`;
    replace(
      shell.tbody,
      rows.map((p) =>
        el(
          "tr",
          { dataset: { id: p.id } },
          el("td", null, el("code", { text: p.id })),
          el("td", { text: p.name }),
          el("td", { text: instName.get(p.institutionId) ?? p.institutionId }),
          el("td", { text: label("title", p.title) }),
          el("td", { text: labels("specialty", p.specialties) }),
          el("td", { class: "no-print" }, el("button", { type: "button", class: "link", text: "编辑", onclick: () => edit(p) })),
        ),
      ),
    );
  };
  const reload = async () => {
    all = (await loadAll<Practitioner>(`/practitioners${filter.value ? `?institutionId=${encodeURIComponent(filter.value)}` : ""}`)) ?? all;
    render();
  };
  filter.addEventListener("change", () => {
    const url = new URL(location.href);
    if (filter.value) url.searchParams.set("institution", filter.value);
    else url.searchParams.delete("institution");
    history.replaceState(null, "", url);
    void reload();
  });
  shell.search.addEventListener("input", render);
  await reload();
}

// ---------------------------------------------------------------------------------------
// 药师
// ---------------------------------------------------------------------------------------

async function pharmacistsView(node: HTMLElement): Promise<void> {
  const pharmacies = (await loadAll<Pharmacy>("/pharmacies")) ?? [];
  const pharmName = new Map(pharmacies.map((p) => [p.id, p.name]));
  const pharmOptions = pharmacies.map((p) => ({ value: p.id, text: `${p.name}（${p.id}）` }));
  let all: Pharmacist[] = [];
  const shell = listShell({ searchLabel: "按姓名、编号或药房筛选", newText: "新增药师", onNew: () => create() });
  shell.thead.append(headRow("编号", "姓名", "药房", "职称", "最近修改", ""));
  replace(node, shell.node);
  const editable: Field[] = [
    { name: "name", label: "姓名", kind: "text", required: true, maxlength: 100 },
    { name: "title", label: "职称", kind: "select", required: true, options: optionsOf("title", PHARMACIST_TITLES), hint: "药士只可调配，不能审核或发药" },
    { name: "pharmacyId", label: "药房", kind: "select", required: true, options: pharmOptions, hint: "调到其他药房后，原药房的登录令牌不能再用于其工作台" },
  ];
  const create = () => {
    const h = buildForm({
      legend: "新增药师",
      fields: [{ name: "id", label: "药师编号", kind: "text", required: true, hint: "即其登录令牌的 sub；登记后不可改", maxlength: 64 }, ...editable],
      values: { title: "pharmacist" },
      submitText: "登记",
      onCancel: () => replace(shell.editor),
      onSubmit: (f) => send(f, "POST", "/pharmacists", f.body(), "药师已登记。", reload, shell.editor),
    });
    openForm(shell.editor, h);
  };
  const edit = (p: Pharmacist) => {
    const values: Values = { name: p.name, title: p.title, pharmacyId: p.pharmacyId };
    const h = buildForm({ legend: `修改药师：${p.name}（${p.id}）`, fields: editable, values, submitText: "保存修改", onCancel: () => replace(shell.editor), onSubmit: (f) => send(f, "PATCH", `/pharmacists/${encodeURIComponent(p.id)}`, f.body(values), "药师信息已保存。", reload, shell.editor) });
    openForm(shell.editor, h);
  };
  const render = () => {
    const q = shell.search.value.trim();
    const rows = all.filter((p) => matches(q, p.id, p.name, pharmName.get(p.pharmacyId)));
    shell.count.textContent = `共 ${rows.length} 名`;
    replace(
      shell.tbody,
      rows.map((p) =>
        el(
          "tr",
          { dataset: { id: p.id } },
          el("td", null, el("code", { text: p.id })),
          el("td", { text: p.name }),
          el("td", { text: pharmName.get(p.pharmacyId) ?? p.pharmacyId }),
          el("td", { text: label("title", p.title) }),
          el("td", { text: p.updatedAt ? time(p.updatedAt) : "—" }),
          el("td", { class: "no-print" }, el("button", { type: "button", class: "link", text: "编辑", onclick: () => edit(p) })),
        ),
      ),
    );
  };
  const reload = async () => {
    all = (await loadAll<Pharmacist>("/pharmacists")) ?? all;
    render();
  };
  shell.search.addEventListener("input", render);
  await reload();
}

// ---------------------------------------------------------------------------------------
// 药房与取药点
// ---------------------------------------------------------------------------------------

async function pharmaciesView(node: HTMLElement): Promise<void> {
  const institutions = (await loadAll<Institution>("/institutions")) ?? [];
  const instOptions = institutions.map((i) => ({ value: i.id, text: `${i.name}（${i.id}）` }));
  let all: Pharmacy[] = [];
  const shell = listShell({ searchLabel: "按名称、编号或配送地区筛选", newText: "新增药房", onNew: () => create() });
  shell.thead.append(headRow("编号", "名称", "对接方式", "能力", "配送地区", "营业时间", "取药点", ""));
  replace(node, shell.node);
  const editable: Field[] = [
    { name: "name", label: "名称", kind: "text", required: true, maxlength: 100 },
    { name: "integration", label: "对接方式", kind: "select", required: true, options: optionsOf("integration"), hint: "外部系统对接须填回调地址和共享密钥" },
    { name: "capabilities", label: "能力", kind: "checks", options: optionsOf("capability") },
    { name: "deliveryRegions", label: "配送地区（每行或以逗号分隔）", kind: "lines", placeholder: "青溪县/桃源镇" },
    { name: "hours", label: "营业时间", kind: "text", placeholder: "08:00-21:00", maxlength: 100, omitEmpty: true },
    { name: "endpointUrl", label: "外部系统地址", kind: "url", placeholder: "https://…", omitEmpty: true, wide: true },
    { name: "sharedSecret", label: "共享密钥（只写，至少 32 位）", kind: "password", omitEmpty: true, hint: "留空则不改；保存后不再显示" },
  ];
  const create = () => {
    const h = buildForm({
      legend: "新增签约药房",
      fields: [{ name: "id", label: "药房编号", kind: "text", required: true, maxlength: 64 }, ...editable],
      values: { integration: "desk", capabilities: ["pickup"] },
      submitText: "签约",
      onCancel: () => replace(shell.editor),
      onSubmit: (f) => send(f, "POST", "/pharmacies", f.body(), "药房已签约。", reload, shell.editor),
    });
    openForm(shell.editor, h);
  };
  const edit = (p: Pharmacy) => {
    const values: Values = { name: p.name, integration: p.integration, capabilities: p.capabilities, deliveryRegions: p.deliveryRegions, hours: p.hours ?? "", endpointUrl: p.endpointUrl ?? "", sharedSecret: "" };
    const fields = editable.map((f): Field => (f.name === "hours" || f.name === "endpointUrl" ? { ...f, nullWhenEmpty: true } : f));
    const h = buildForm({ legend: `修改药房：${p.name}`, fields, values, submitText: "保存修改", onCancel: () => replace(shell.editor), onSubmit: (f) => send(f, "PATCH", `/pharmacies/${encodeURIComponent(p.id)}`, f.body(values), "药房信息已保存。", reload, shell.editor) });
    openForm(shell.editor, h);
  };
  const addSite = (p: Pharmacy) => {
    const h = buildForm({
      legend: `为 ${p.name} 新增取药点`,
      fields: [
        { name: "id", label: "取药点编号", kind: "text", required: true, maxlength: 64 },
        { name: "name", label: "名称", kind: "text", required: true, maxlength: 100, placeholder: "桃源镇卫生院便民取药窗口" },
        { name: "address", label: "地址", kind: "text", required: true, maxlength: 200, wide: true },
        { name: "institutionId", label: "所在机构（可选）", kind: "select", options: instOptions, omitEmpty: true },
      ],
      submitText: "新增取药点",
      onCancel: () => replace(shell.editor),
      onSubmit: (f) => send(f, "POST", `/pharmacies/${encodeURIComponent(p.id)}/sites`, f.body(), "取药点已新增。", reload, shell.editor),
    });
    openForm(shell.editor, h);
  };
  const render = () => {
    const q = shell.search.value.trim();
    const rows = all.filter((p) => matches(q, p.id, p.name, ...p.deliveryRegions, ...p.sites.map((s) => s.name)));
    shell.count.textContent = `共 ${rows.length} 家`;
    replace(
      shell.tbody,
      rows.map((p) =>
        el(
          "tr",
          { dataset: { id: p.id } },
          el("td", null, el("code", { text: p.id })),
          el("td", { text: p.name }),
          el("td", null, label("integration", p.integration), p.integration === "external" ? el("span", { class: "sub", text: p.hasSharedSecret ? "已设密钥" : "未设密钥" }) : null),
          el("td", { text: labels("capability", p.capabilities) }),
          el("td", { text: p.deliveryRegions.join("、") || "—" }),
          el("td", { text: p.hours ?? "—" }),
          el("td", null, p.sites.length ? el("ul", { class: "plain" }, p.sites.map((s) => el("li", null, s.name, el("span", { class: "sub", text: `${s.id} · ${s.address}` })))) : "—"),
          el("td", { class: "no-print" }, el("button", { type: "button", class: "link", text: "编辑", onclick: () => edit(p) }), el("button", { type: "button", class: "link", text: "加取药点", onclick: () => addSite(p) })),
        ),
      ),
    );
  };
  const reload = async () => {
    const res = await api<{ items: Pharmacy[] }>("GET", "/pharmacies");
    if (!res.ok) replace(msg, problemNotice(res));
    else all = res.body.items;
    render();
  };
  shell.search.addEventListener("input", render);
  await reload();
}

// ---------------------------------------------------------------------------------------
// 相关专科
// ---------------------------------------------------------------------------------------

async function specialtiesView(node: HTMLElement): Promise<void> {
  let all: SpecialtyRelation[] = [];
  const shell = listShell({ searchLabel: "按 ICD-10 前缀或专科筛选", newText: "新增病种", onNew: () => edit(null) });
  shell.thead.append(headRow("ICD-10 前缀", "相关专科", ""));
  replace(node, shell.node);
  const setField: Field = { name: "specialties", label: "相关专科（全部取消则删除该病种）", kind: "checks", options: optionsOf("specialty") };
  const edit = (r: SpecialtyRelation | null) => {
    const h = buildForm({
      legend: r ? `相关专科：${r.icd10Prefix}` : "新增病种的相关专科",
      fields: r ? [setField] : [{ name: "icd10Prefix", label: "ICD-10 编码或前缀", kind: "text", required: true, placeholder: "I10、E11", maxlength: 12 }, setField],
      values: { specialties: r?.specialties ?? [] },
      submitText: "保存",
      onCancel: () => replace(shell.editor),
      onSubmit: async (f) => {
        const { icd10Prefix, ...body } = f.body();
        const prefix = r?.icd10Prefix ?? (typeof icd10Prefix === "string" ? icd10Prefix.toUpperCase() : "");
        if (!prefix) {
          f.showProblem({ ok: false, status: 400, headers: new Headers(), body: { detail: "请填写 ICD-10 编码或前缀", issues: [{ path: "icd10Prefix", message: "必填" }] } });
          return;
        }
        await send(f, "PUT", `/specialty-relations/${encodeURIComponent(prefix)}`, body, `${prefix} 的相关专科已保存。`, reload, shell.editor);
      },
    });
    openForm(shell.editor, h);
  };
  const render = () => {
    const q = shell.search.value.trim();
    const rows = all.filter((r) => matches(q, r.icd10Prefix, ...r.specialties.map((s) => label("specialty", s))));
    shell.count.textContent = `共 ${rows.length} 个病种`;
    replace(
      shell.tbody,
      rows.map((r) => el("tr", { dataset: { id: r.icd10Prefix } }, el("td", null, el("code", { text: r.icd10Prefix })), el("td", { text: labels("specialty", r.specialties) }), el("td", { class: "no-print" }, el("button", { type: "button", class: "link", text: "编辑", onclick: () => edit(r) })))),
    );
  };
  const reload = async () => {
    all = (await loadAll<SpecialtyRelation>("/specialty-relations")) ?? all;
    render();
  };
  shell.search.addEventListener("input", render);
  await reload();
}

// ---------------------------------------------------------------------------------------
// 相互作用
// ---------------------------------------------------------------------------------------

const side = (s: { atcPrefix?: string; name?: string }) => [s.name, s.atcPrefix].filter(Boolean).join(" · ") || "—";

async function interactionsView(node: HTMLElement): Promise<void> {
  let all: Interaction[] = [];
  const severity = el("select", { "aria-label": "按严重程度筛选" }, el("option", { value: "", text: "全部程度" }), optionsOf("interactionSeverity").map((o) => el("option", { value: o.value, text: o.text })));
  const shell = listShell({ searchLabel: "按药名、ATC、说明或编号筛选", newText: "新增相互作用", onNew: () => edit(null), extra: severity });
  shell.thead.append(headRow("编号", "药物 A", "药物 B", "程度", "说明", "来源", "最近修改", ""));
  replace(node, shell.node);
  const fields: Field[] = [
    { name: "a.name", label: "A 通用名", kind: "text", maxlength: 100, omitEmpty: true, placeholder: "华法林" },
    { name: "a.atcPrefix", label: "A 的 ATC 前缀", kind: "text", maxlength: 7, omitEmpty: true, placeholder: "B01AA" },
    { name: "b.name", label: "B 通用名", kind: "text", maxlength: 100, omitEmpty: true },
    { name: "b.atcPrefix", label: "B 的 ATC 前缀", kind: "text", maxlength: 7, omitEmpty: true, placeholder: "M01A" },
    { name: "severity", label: "程度", kind: "select", required: true, options: optionsOf("interactionSeverity") },
    { name: "source", label: "来源", kind: "text", required: true, maxlength: 200, placeholder: "药品说明书" },
    { name: "note", label: "说明（处方时显示给医生）", kind: "textarea", required: true },
  ];
  const bodyOf = (f: FormHandle, full: boolean, before?: Values) => {
    // a side is sent whole (the API replaces a side given): both of its fields, or neither
    const all = f.body();
    const changed = before ? f.body(before) : all;
    const out: Record<string, unknown> = { ...changed };
    for (const s of ["a", "b"] as const) if (full || s in changed) out[s] = all[s] ?? {};
    return out;
  };
  const edit = (i: Interaction | null) => {
    const values: Values | undefined = i ? { "a.name": i.a.name ?? "", "a.atcPrefix": i.a.atcPrefix ?? "", "b.name": i.b.name ?? "", "b.atcPrefix": i.b.atcPrefix ?? "", severity: i.severity, source: i.source, note: i.note } : { severity: "moderate" };
    const h = buildForm({
      legend: i ? `修改相互作用 ${i.id}` : "新增相互作用",
      fields: i ? fields : [{ name: "id", label: "编号", kind: "text", required: true, maxlength: 64, placeholder: "ddi-warfarin-nsaid" }, ...fields],
      values,
      submitText: i ? "保存修改" : "新增",
      onCancel: () => replace(shell.editor),
      onSubmit: (f) =>
        i
          ? send(f, "PATCH", `/interactions/${encodeURIComponent(i.id)}`, bodyOf(f, false, values), "相互作用已保存。", reload, shell.editor)
          : send(f, "POST", "/interactions", bodyOf(f, true), "相互作用已新增。", reload, shell.editor),
    });
    if (i) {
      h.form.querySelector(".actions")?.append(
        el("button", {
          type: "button",
          class: "danger",
          text: "删除",
          onclick: async () => {
            if (!confirm(`删除相互作用 ${i.id}（${side(i.a)} + ${side(i.b)}）？删除后处方检查不再提示。`)) return;
            const res = await api("DELETE", `/interactions/${encodeURIComponent(i.id)}`);
            if (!res.ok) return h.showProblem(res);
            replace(shell.editor);
            replace(msg, done(`相互作用 ${i.id} 已删除。`));
            await reload();
          },
        }),
      );
    }
    openForm(shell.editor, h);
  };
  const render = () => {
    const q = shell.search.value.trim();
    const rows = all.filter((i) => (!severity.value || i.severity === severity.value) && matches(q, i.id, i.a.name, i.a.atcPrefix, i.b.name, i.b.atcPrefix, i.note, i.source));
    shell.count.textContent = `共 ${rows.length} 条`;
    replace(
      shell.tbody,
      rows.map((i) =>
        el(
          "tr",
          { dataset: { id: i.id } },
          el("td", null, el("code", { text: i.id })),
          el("td", { text: side(i.a) }),
          el("td", { text: side(i.b) }),
          el("td", null, el("span", { class: `badge ${i.severity === "major" ? "err" : "warn"}`, text: label("interactionSeverity", i.severity) })),
          el("td", { text: i.note }),
          el("td", { text: i.source }),
          el("td", null, time(i.updatedAt), el("span", { class: "sub", text: i.updatedBy })),
          el("td", { class: "no-print" }, el("button", { type: "button", class: "link", text: "编辑", onclick: () => edit(i) })),
        ),
      ),
    );
  };
  const reload = async () => {
    all = (await loadAll<Interaction>("/interactions")) ?? all;
    render();
  };
  shell.search.addEventListener("input", render);
  severity.addEventListener("change", render);
  await reload();
}

// ---------------------------------------------------------------------------------------

const VIEWS: Record<string, (node: HTMLElement, msg: HTMLElement) => Promise<void>> = {
  institutions: institutionsView,
  practitioners: practitionersView,
  pharmacists: pharmacistsView,
  pharmacies: pharmaciesView,
  specialties: specialtiesView,
  interactions: interactionsView,
  settings: settingsView,
  audit: auditView,
};

if (requireLogin(msg, ["admin"])) {
  const view = root?.dataset.view;
  const run = view ? VIEWS[view] : undefined;
  if (root && run) {
    root.dataset.state = "loading";
    run(root, msg)
      .catch(() => replace(msg, networkNotice()))
      .finally(() => {
        root.dataset.state = "ready";
      });
  }
}
