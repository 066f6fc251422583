/**
 * /ui/prescribe (doctors): build a draft, "检查" runs every rule, "签名" signs it. The
 * Idempotency-Key is made once per draft content: a retry of the same draft (double click,
 * lost answer) reuses it and gets the stored answer; any edit makes a new draft and a new key.
 * The page may start pre-filled: `?patientId=` (the patient), `?renew=<patientId>` (续方: the
 * server's draft of the last long prescription with today's findings), `?from=<rxId>` (a
 * prescription's draft to fix and sign again, replacing it). Each signing is its own draft,
 * so renewing several patients in a row never reuses a key.
 */
import { DOSES_PER_DAY, LABELS } from "../../labels";
import {
  api,
  badge,
  byId,
  clear,
  combobox,
  date,
  daysLeftNode,
  type DraftProposal,
  type DueItem,
  type Entry,
  type Finding,
  el,
  label,
  networkNotice,
  notice,
  type Page,
  type PatientHit,
  type PatientOverview,
  type PrescriptionDraft,
  type Principal,
  pack,
  pagedSearch,
  patientHref,
  patientSearch,
  problemNotice,
  qty,
  query,
  renewHref,
  replace,
  requireLogin,
  type SignedPrescription,
  sexAge,
  time,
  uuid,
  type ValidationResponse,
} from "../lib";

const $input = (id: string) => byId(id, HTMLInputElement);
const form = byId("draft", HTMLFormElement);
const draftFields = byId("draft-fields", HTMLFieldSetElement);
const msg = byId("msg", HTMLDivElement);
const patient = $input("patient");
const kind = byId("kind", HTMLSelectElement);
const diagBody = query("#diagnoses tbody", HTMLTableSectionElement);
const itemsBody = query("#items tbody", HTMLTableSectionElement);
const itemsTable = byId("items", HTMLTableElement);
const noItems = byId("no-items", HTMLParagraphElement);
const allDays = $input("all-days");
const drugQ = $input("drug-q");
const drugList = byId("drug-options", HTMLDivElement);
const longTerm = byId("long-term", HTMLFieldSetElement);
const extended = byId("extended", HTMLLabelElement);
const instalmentsField = byId("instalments-field", HTMLLabelElement);
const findingsBox = byId("findings", HTMLElement);
const resultBox = byId("result", HTMLElement);
const totals = byId("totals", HTMLSpanElement);
const validateBtn = byId("validate", HTMLButtonElement);
const signBtn = byId("sign", HTMLButtonElement);
const newBtn = byId("new-draft", HTMLButtonElement);
const basisBox = byId("basis", HTMLDivElement);
const patientCard = byId("patient-card", HTMLDivElement);
const COMMON = [...byId("icd10-common", HTMLDataListElement).options].map((o) => ({ icd10: o.value, name: o.label || o.textContent || "" }));

/**
 * What the page sends: the API's PrescriptionDraft (prescriptions.schemas.ts), except that
 * an empty number field goes as null so the server's answer names that field.
 */
interface DraftBody {
  patientId: string;
  kind: string;
  diagnoses: { icd10: string; name?: string }[];
  items: { drugCode: string; dose: { value: number | null; unit: string }; frequency: string; route: string; days: number | null; packages: number | null }[];
  fulfilment: {
    mode: string;
    instalments?: number;
    pickupSiteId?: string;
    address?: { region: string; line: string; phone: string };
  };
  extendedReason?: string;
  longTerm?: { firstIssue: boolean; assessment: string; patientConfirmed: boolean };
  replaces?: string;
}

/** The prescription this draft replaces once signed (?from= of a replaceable one); never typed by the doctor. */
let replaces: string | null = null;

// ---------- diagnoses ----------
interface Diagnosis {
  row: HTMLTableRowElement;
  code: HTMLInputElement;
  name: HTMLInputElement;
}
const diagnoses: Diagnosis[] = [];

function addDiagnosis(icd10 = "", name = ""): Diagnosis {
  const code = el("input", { type: "text", class: "icd", list: "icd10-common", placeholder: "ICD-10，如 I10", value: icd10, "aria-label": "ICD-10 编码" });
  const nameInput = el("input", { type: "text", placeholder: "诊断名称", value: name, "aria-label": "诊断名称" });
  code.addEventListener("change", () => {
    const hit = COMMON.find((d) => d.icd10 === code.value.trim().toUpperCase());
    if (hit && !nameInput.value.trim()) nameInput.value = hit.name;
  });
  const remove = () => {
    diagnoses.splice(diagnoses.indexOf(diagnosis), 1);
    diagnosis.row.remove();
    renumberDiagnoses();
    changed();
  };
  const row = el(
    "tr",
    null,
    el("td", null, code),
    el("td", null, nameInput),
    el("td", null, el("button", { type: "button", class: "link", onclick: remove }, "移除")),
  );
  const diagnosis: Diagnosis = { row, code, name: nameInput };
  diagnoses.push(diagnosis);
  diagBody.appendChild(row);
  renumberDiagnoses();
  return diagnosis;
}

function renumberDiagnoses(): void {
  diagnoses.forEach((d, i) => {
    d.code.dataset.path = `diagnoses.${i}.icd10`;
  });
}

// ---------- items ----------
interface Item {
  entry: Entry;
  /** the doctor typed a package count: stop deriving it */
  manual: boolean;
  dose: HTMLInputElement;
  unit: HTMLInputElement;
  freq: HTMLSelectElement;
  days: HTMLInputElement;
  packages: HTMLInputElement;
  hint: HTMLSpanElement;
  index: HTMLSpanElement;
  row: HTMLTableRowElement;
}
const items: Item[] = [];

function defaultDays(): number {
  const all = Number(allDays.value);
  if (Number.isInteger(all) && all > 0) return all;
  return kind.value === "long_term" ? 28 : kind.value === "emergency" ? 3 : 7;
}

/** Packages that dose x frequency x days needs, when the dose is in the strength's unit. */
function neededPackages(item: Item): number | null {
  const e = item.entry;
  const perDay = DOSES_PER_DAY[item.freq.value];
  const dose = Number(item.dose.value);
  const days = Number(item.days.value);
  if (!perDay || !(dose > 0) || !(days > 0) || item.unit.value.trim() !== e.strength.unit) return null;
  const units = (dose / e.strength.value) * perDay * days;
  return Math.max(1, Math.ceil(units / e.pack.size - 1e-9));
}

function recompute(item: Item): void {
  const n = neededPackages(item);
  item.hint.textContent = n === null ? "" : `按剂量需 ${n}`;
  if (n !== null && !item.manual) item.packages.value = String(n);
}

function addItem(entry: Entry): Item {
  const dose = el("input", { type: "number", min: "0", step: "any", value: String(entry.strength.value), "aria-label": "单次剂量" });
  const unit = el("input", { type: "text", class: "unit", value: entry.strength.unit, "aria-label": "剂量单位" });
  const freq = el(
    "select",
    { "aria-label": "频次" },
    Object.keys(LABELS.frequency).map((f) => el("option", { value: f, text: label("frequency", f) })),
  );
  const days = el("input", { type: "number", min: "1", step: "1", value: String(defaultDays()), class: "days", "aria-label": "天数" });
  const packages = el("input", { type: "number", min: "1", step: "1", class: "packages", "aria-label": "数量（包装）" });
  const hint = el("span", { class: "sub" });
  const index = el("span", { class: "idx" });
  const row = el(
    "tr",
    { dataset: { code: entry.code } },
    el(
      "td",
      null,
      index,
      " ",
      el("strong", { text: entry.genericName }),
      el("span", { class: "sub", text: `${entry.form} · ${qty(entry.strength)} · ${pack(entry.pack)}/包装 · ${entry.code}` }),
    ),
    el("td", null, el("div", { class: "row" }, dose, unit)),
    el("td", null, freq),
    el("td", null, days),
    el("td", null, packages, " ", el("span", { class: "muted small", text: "包装" }), hint),
    el("td", null, el("button", { type: "button", class: "link", onclick: () => removeItem(item) }, "移除")),
  );
  const item: Item = { entry, manual: false, dose, unit, freq, days, packages, hint, index, row };
  for (const input of [dose, unit, freq, days]) input.addEventListener("input", () => recompute(item));
  packages.addEventListener("input", () => {
    item.manual = packages.value !== "";
    if (!item.manual) recompute(item);
  });
  items.push(item);
  itemsBody.appendChild(row);
  recompute(item);
  renumberItems();
  changed();
  return item;
}

function removeItem(item: Item): void {
  items.splice(items.indexOf(item), 1);
  item.row.remove();
  renumberItems();
  changed();
}

function renumberItems(): void {
  items.forEach((item, i) => {
    item.index.textContent = `${i + 1}.`;
    item.dose.dataset.path = `items.${i}.dose`;
    item.freq.dataset.path = `items.${i}.frequency`;
    item.days.dataset.path = `items.${i}.days`;
    item.packages.dataset.path = `items.${i}.packages`;
  });
  itemsTable.hidden = items.length === 0;
  noItems.hidden = items.length > 0;
}

function setAllDays(n: number): void {
  allDays.value = String(n);
  for (const item of items) {
    item.days.value = String(n);
    recompute(item);
  }
  changed();
}

// ---------- drug picker (formulary search) ----------
const drugPicker = combobox<Entry>({
  input: drugQ,
  list: drugList,
  idPrefix: "drug-option",
  search: pagedSearch<Entry>(msg, (q) => `/formulary/drugs?status=active&limit=10&q=${encodeURIComponent(q)}`),
  option: (e) => ({ dataset: { code: e.code }, content: [e.genericName, el("span", { class: "sub", text: `${e.form} ${qty(e.strength)} ×${pack(e.pack)} · ${e.code}` })] }),
  empty: () => "没有匹配的在用药品",
  choose(entry) {
    addItem(entry);
    drugQ.value = "";
    drugPicker.close();
    drugQ.focus();
  },
});

// ---------- kind, fulfilment ----------
function syncKind(): void {
  const long = kind.value === "long_term";
  longTerm.hidden = !long;
  longTerm.disabled = !long;
  extended.hidden = kind.value !== "normal";
  instalmentsField.hidden = !long;
}

function mode(): string {
  return form.querySelector<HTMLInputElement>("input[name=mode]:checked")?.value ?? "pickup";
}

function syncMode(): void {
  const pickup = mode() === "pickup";
  byId("pickup-fields", HTMLDivElement).hidden = !pickup;
  byId("delivery-fields", HTMLDivElement).hidden = pickup;
}

// ---------- the draft ----------
const num = (input: HTMLInputElement) => (input.value.trim() === "" ? null : Number(input.value));
const trimmed = (id: string) => $input(id).value.trim();

function buildDraft(): DraftBody {
  const draft: DraftBody = {
    patientId: patient.value.trim(),
    kind: kind.value,
    diagnoses: diagnoses
      .map((d) => ({ icd10: d.code.value.trim().toUpperCase(), name: d.name.value.trim() }))
      .filter((d) => d.icd10)
      .map((d) => (d.name ? d : { icd10: d.icd10 })),
    items: items.map((i) => ({
      drugCode: i.entry.code,
      dose: { value: num(i.dose), unit: i.unit.value.trim() },
      frequency: i.freq.value,
      route: i.entry.route,
      days: num(i.days),
      packages: num(i.packages),
    })),
    fulfilment: { mode: mode() },
  };
  if (draft.kind === "normal" && trimmed("extended-reason")) draft.extendedReason = trimmed("extended-reason");
  if (draft.kind === "long_term") {
    draft.longTerm = { firstIssue: $input("first-issue").checked, assessment: byId("assessment", HTMLTextAreaElement).value.trim(), patientConfirmed: $input("confirmed").checked };
    const n = Number(byId("instalments", HTMLSelectElement).value);
    if (n > 1) draft.fulfilment.instalments = n;
  }
  if (replaces) draft.replaces = replaces;
  if (draft.fulfilment.mode === "pickup") draft.fulfilment.pickupSiteId = byId("pickup-site", HTMLSelectElement).value;
  else draft.fulfilment.address = { region: trimmed("addr-region"), line: trimmed("addr-line"), phone: trimmed("addr-phone") };
  return draft;
}

// ---------- findings ----------
/** Marks the inputs a finding's path points at (or into), clearing the previous marks. */
function markFields(paths: readonly (string | undefined)[]): void {
  for (const node of form.querySelectorAll(".field-error")) node.classList.remove("field-error");
  for (const p of paths) {
    if (!p) continue;
    for (const node of form.querySelectorAll<HTMLElement>("[data-path]")) {
      const own = node.dataset.path ?? "";
      if (own === p || own.startsWith(`${p}.`) || p.startsWith(`${own}.`)) node.classList.add("field-error");
    }
  }
}

function findingNode(f: Finding): HTMLDivElement {
  return el(
    "div",
    { class: `finding ${f.severity}`, dataset: { rule: f.ruleId, severity: f.severity } },
    badge(label("severity", f.severity), f.severity === "error" ? "red" : "amber"),
    el("code", { class: "rule", text: f.ruleId }),
    el("span", { class: "message", text: f.message }),
    el("span", { class: "source", text: `依据：${f.source}` }),
  );
}

function itemTitle(i: number): string {
  const item = items[i];
  return `第 ${i + 1} 项${item ? `：${item.entry.genericName} ${qty(item.entry.strength)}` : ""}`;
}

/** Every finding, grouped by item: the prescription as a whole first, then item by item. */
function renderFindings(findings: Finding[], heading: string): void {
  const errors = findings.filter((f) => f.severity === "error");
  const warnings = findings.filter((f) => f.severity === "warning");
  const groups = new Map<number, Finding[]>();
  for (const f of findings) {
    const key = typeof f.itemIndex === "number" ? f.itemIndex : -1;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => a - b);
  const errorsFirst = (a: Finding, b: Finding) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1);
  for (const item of items) item.row.classList.remove("has-error");
  for (const f of errors) if (typeof f.itemIndex === "number") items[f.itemIndex]?.row.classList.add("has-error");
  markFields(errors.map((f) => f.path));
  findingsBox.hidden = false;
  delete findingsBox.dataset.stale;
  replace(
    findingsBox,
    el("h2", { text: heading }),
    el(
      "div",
      { class: errors.length ? "notice err" : "notice ok", id: "verdict", role: "status", dataset: { valid: String(errors.length === 0) } },
      errors.length ? `发现 ${errors.length} 个错误，不能签名` : "检查通过：没有错误，可以签名",
      warnings.length ? `（另有 ${warnings.length} 个警告，请留意）` : "",
      "。",
    ),
    el("p", { class: "muted small", id: "stale-note", hidden: true, text: "草稿已修改，以上结果可能已过期，请重新检查。" }),
    sorted.map(([k, group]) =>
      el("section", { class: "group", dataset: { item: String(k) } }, el("h3", { text: k === -1 ? "处方整体" : itemTitle(k) }), group.sort(errorsFirst).map(findingNode)),
    ),
  );
}

/** Any edit: the totals and the findings shown may no longer hold. */
function changed(): void {
  totals.textContent = "";
  if (!findingsBox.hidden && !findingsBox.dataset.stale) {
    findingsBox.dataset.stale = "1";
    const note = document.getElementById("stale-note");
    if (note) note.hidden = false;
  }
}

function busy(on: boolean): void {
  validateBtn.disabled = on;
  signBtn.disabled = on;
  form.setAttribute("aria-busy", String(on));
}

async function validate(): Promise<void> {
  clear(msg);
  busy(true);
  try {
    const res = await api<ValidationResponse>("POST", "/prescriptions/validate", { json: buildDraft() });
    if (!res.ok) {
      replace(msg, problemNotice(res));
      markFields((res.body?.issues ?? []).map((i) => i.path));
      return;
    }
    renderFindings(res.body.findings, "检查结果");
    totals.textContent = `目录版本 ${res.body.formularyVersion} · 总天数 ${res.body.totals.days}`;
  } catch {
    replace(msg, networkNotice());
  } finally {
    busy(false);
  }
}

/** One key per draft content: the same draft retried keeps its key, an edited draft gets a new one. */
let idem: { key: string; body: string } | null = null;

async function sign(): Promise<void> {
  clear(msg);
  const body = JSON.stringify(buildDraft());
  if (!idem || idem.body !== body) idem = { key: uuid(), body };
  busy(true);
  let done = false;
  try {
    const res = await api<SignedPrescription>("POST", "/prescriptions", { body, headers: { "content-type": "application/json", "idempotency-key": idem.key } });
    if (res.ok && res.status === 201) {
      done = true;
      showSigned(res.body);
      return;
    }
    const findings = res.ok ? undefined : res.body?.findings;
    if (res.status === 422 && Array.isArray(findings)) {
      renderFindings(findings, "签名被拒绝");
      return;
    }
    replace(msg, problemNotice(res));
  } catch {
    replace(msg, networkNotice());
  } finally {
    busy(false);
    if (done) {
      validateBtn.disabled = true;
      signBtn.disabled = true;
    }
  }
}

function showSigned(rx: SignedPrescription): void {
  draftFields.disabled = true;
  markFields([]);
  for (const item of items) item.row.classList.remove("has-error");
  totals.textContent = "";
  findingsBox.hidden = true;
  resultBox.hidden = false;
  const orders = Array.isArray(rx.orders) ? rx.orders.length : 0;
  replace(
    resultBox,
    el("div", { class: "notice ok", role: "status" }, el("strong", { text: "处方已签名" }), orders ? `，已生成 ${orders} 个云药房订单，等待药师审核。` : "。"),
    el(
      "div",
      { class: "kv" },
      el("span", { class: "muted", text: "处方号" }),
      el("code", { id: "rx-id", class: "mono", text: rx.id }),
      el("span", { class: "muted", text: "状态" }),
      el("span", { text: rx.status === "signed" ? "已签名 (signed)" : rx.status }),
      el("span", { class: "muted", text: "内容哈希 SHA-256" }),
      el("code", { id: "rx-hash", class: "mono", text: rx.contentHash }),
      el("span", { class: "muted", text: "签名密钥" }),
      el("code", { class: "mono", text: rx.signatureKeyId }),
      el("span", { class: "muted", text: "目录版本" }),
      el("span", { text: String(rx.formularyVersion) }),
      el("span", { class: "muted", text: "开具时间" }),
      el("span", { text: `${time(rx.writtenAt)} · ${rx.days} 天` }),
    ),
    rx.findings?.length ? [el("h3", { text: "签名时的警告" }), rx.findings.map(findingNode)] : null,
  );
  const steps = [
    el(
      "div",
      { class: "actions next-steps" },
      el("a", { id: "print-link", class: "button", href: `/ui/prescriptions/${encodeURIComponent(rx.id)}/print`, text: "打印处方笺" }),
      el("a", { class: "button", href: patientHref(patient.value.trim()), text: "患者概览" }),
      el("a", { id: "back-to-list", class: "button", href: "/ui/follow-up", text: "返回随访列表" }),
    ),
    renewing ? el("div", { id: "next", class: "actions" }) : null,
  ];
  newBtn.hidden = false;
  if (basisBox.hidden) {
    resultBox.append(...steps.filter((n) => n !== null));
    resultBox.scrollIntoView({ block: "nearest" });
  } else {
    // a pre-filled draft's banner asked for the assessment and the signature: it now says it is done and what comes next
    const name = document.getElementById("patient-name")?.textContent ?? patient.value.trim();
    replace(
      basisBox,
      el(
        "div",
        { class: "notice ok done-banner", role: "status" },
        el("strong", { text: `✓ 已签名：${name} ${label("kind", rx.kind)} ${rx.days} 天` }),
        el("span", { class: "muted small" }, ` 处方号 ${rx.id}`),
        steps,
      ),
    );
    window.scrollTo({ top: 0 });
  }
  const next = document.getElementById("next");
  if (next) void offerNext(next, patient.value.trim());
}

// ---------- the patient, pre-filled drafts, the next patient ----------
const params = new URLSearchParams(location.search);
/** ?renew=: the page renews this patient's long prescription (the "renew several in a row" flow) */
const renewing = params.get("renew")?.trim() || null;
let patientSeq = 0;

/** The patient strip under the id: name, sex and age, allergies, active supply (one audited overview read). */
async function showPatient(id: string): Promise<PatientOverview | null> {
  const mine = ++patientSeq;
  if (!id) {
    patientCard.hidden = true;
    clear(patientCard);
    return null;
  }
  const res = await api<PatientOverview>("GET", `/patients/${encodeURIComponent(id)}/overview`).catch(() => null);
  if (mine !== patientSeq) return null;
  patientCard.hidden = false;
  if (!res) {
    replace(patientCard, networkNotice());
    return null;
  }
  if (!res.ok) {
    replace(patientCard, res.status === 404 ? notice("warn", `没有编号为 ${id} 的患者，请核对。`) : problemNotice(res));
    return null;
  }
  const o = res.body;
  replace(
    patientCard,
    el("span", { class: "name", id: "patient-name", text: o.patient.name }),
    el("span", { text: sexAge(o.patient) }),
    o.allergies.length
      ? badge(`过敏：${o.allergies.map((a) => (a.reaction ? `${a.substance}（${a.reaction}）` : a.substance)).join("、")}`, "red")
      : el("span", { class: "muted small", text: "无已登记过敏" }),
    o.supply.length ? el("span", { class: "small" }, "在用：", o.supply.map((line, i) => [i ? "、" : "", `${line.genericName} `, daysLeftNode(line.daysLeft)])) : null,
    el("a", { class: "small", href: patientHref(o.patient.id), text: "患者概览" }),
  );
  return o;
}

async function entryFor(code: string): Promise<Entry | null> {
  const res = await api<Entry>("GET", `/formulary/drugs/${encodeURIComponent(code)}`).catch(() => null);
  return res?.ok ? res.body : null;
}

/** Fills the whole form from a server draft; answers whether every item could be placed (each needs its formulary entry). */
async function fillDraft(d: PrescriptionDraft): Promise<boolean> {
  patient.value = d.patientId;
  patient.readOnly = true; // the draft rests on this patient's prescription: another patient is another draft
  kind.value = d.kind;
  syncKind();
  for (const old of diagnoses.splice(0)) old.row.remove();
  for (const dx of d.diagnoses) addDiagnosis(dx.icd10, dx.name ?? COMMON.find((c) => c.icd10 === dx.icd10)?.name ?? "");
  if (!diagnoses.length) addDiagnosis();
  const entries = await Promise.all(d.items.map((i) => entryFor(i.drugCode)));
  d.items.forEach((line, i) => {
    const entry = entries[i];
    if (!entry) return;
    const item = addItem(entry);
    item.dose.value = String(line.dose.value);
    item.unit.value = line.dose.unit;
    item.freq.value = line.frequency;
    item.days.value = String(line.days);
    item.packages.value = String(line.packages);
    // a count other than the dose's own stays as written; an equal one follows later edits of days or dose
    item.manual = neededPackages(item) !== line.packages;
    recompute(item);
  });
  const days = new Set(d.items.map((i) => i.days));
  if (days.size === 1) allDays.value = String([...days][0]);
  $input("extended-reason").value = d.extendedReason ?? "";
  if (d.longTerm) {
    $input("first-issue").checked = d.longTerm.firstIssue;
    byId("assessment", HTMLTextAreaElement).value = d.longTerm.assessment;
    $input("confirmed").checked = d.longTerm.patientConfirmed;
  }
  const f = d.fulfilment;
  for (const r of form.querySelectorAll<HTMLInputElement>("input[name=mode]")) r.checked = r.value === f.mode;
  syncMode();
  if (f.pickupSiteId) byId("pickup-site", HTMLSelectElement).value = f.pickupSiteId;
  if (f.address) {
    $input("addr-region").value = f.address.region;
    $input("addr-line").value = f.address.line;
    $input("addr-phone").value = f.address.phone;
  }
  byId("instalments", HTMLSelectElement).value = String(f.instalments ?? 1);
  replaces = d.replaces ?? null;
  return entries.every(Boolean);
}

function basisLine(p: DraftProposal): string {
  const b = p.basedOn;
  return `${date(b.writtenAt)} ${b.institutionName} ${b.prescriberName} 开具 ${b.days}天（${b.endDate} 用完）`;
}

/** Shows the draft's findings of today as the server sent them, or checks again when an item could not be placed. */
async function showProposal(p: DraftProposal, complete: boolean, heading: string): Promise<void> {
  await showPatient(p.draft.patientId);
  if (complete) {
    renderFindings(p.validation.findings, heading);
    totals.textContent = `目录版本 ${p.validation.formularyVersion} · 总天数 ${p.validation.totals.days}`;
  } else {
    replace(msg, notice("warn", "原处方中有药品在目录中找不到，已略去，请核对后重新检查。"));
    await validate();
  }
}

async function startRenewal(patientId: string): Promise<void> {
  byId("page-title", HTMLHeadingElement).textContent = "续方";
  const res = await api<DraftProposal>("GET", `/patients/${encodeURIComponent(patientId)}/renewal`);
  if (!res.ok) {
    patient.value = patientId;
    await showPatient(patientId);
    replace(msg, res.status === 404 ? notice("warn", "该患者没有可续的长期处方：请开具新处方（首次长期处方须中级及以上职称医师）。") : problemNotice(res));
    return;
  }
  const p = res.body;
  const complete = await fillDraft(p.draft);
  basisBox.hidden = false;
  replace(
    basisBox,
    notice(
      "info",
      el("strong", { text: "续方依据：" }),
      el("span", { id: "basis-text", text: basisLine(p) }),
      el(
        "ol",
        { class: "todo" },
        el("li", { text: "看一眼下方“今日检查结果”：药品已按今天的目录和规则重新检查" }),
        el("li", { text: "填写评估记录（血压、血糖、病情、依从性）" }),
        el("li", { text: "患者签字后，勾选“患者已签字确认”" }),
        el("li", { text: "点“签名”" }),
      ),
    ),
  );
  await showProposal(p, complete, "今日检查结果");
  const name = document.getElementById("patient-name")?.textContent;
  if (name) byId("page-title", HTMLHeadingElement).textContent = `续方：${name}`;
  if (p.draft.longTerm) byId("assessment", HTMLTextAreaElement).focus();
}

async function startFrom(rxId: string): Promise<void> {
  const res = await api<DraftProposal>("GET", `/prescriptions/${encodeURIComponent(rxId)}/draft`);
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  const p = res.body;
  byId("page-title", HTMLHeadingElement).textContent = p.draft.replaces ? "修改后重新签署" : "依据原处方开具";
  const complete = await fillDraft(p.draft);
  basisBox.hidden = false;
  replace(
    basisBox,
    p.draft.replaces
      ? notice("warn", el("strong", { id: "replaces", text: `修改后重新签署，将替代处方 ${p.draft.replaces}` }), el("div", { class: "small", text: `原处方：${basisLine(p)}` }))
      : notice("info", el("strong", { text: `依据处方 ${rxId} 开具新处方` }), `（原处方不能被替代，签名后为另一张处方）。原处方：${basisLine(p)}`),
  );
  await showProposal(p, complete, "今日检查结果");
}

/** The next due patient other than this one (the list is oldest first), for renewing several in a row. */
async function offerNext(box: HTMLElement, currentId: string): Promise<void> {
  const res = await api<Page<DueItem>>("GET", "/follow-up/due?limit=10").catch(() => null);
  if (!res?.ok) return; // the link back to the list is there anyway
  const next = res.body.items.find((d) => d.patientId !== currentId);
  replace(
    box,
    next
      ? [
          el("a", { id: "next-patient", class: "button primary big", href: renewHref(next.patientId), text: `下一位：${next.name} 续方` }),
          " ",
          el("span", { class: "muted" }, `${sexAge(next)} · ${next.reasons.map((r) => label("followUpReason", r)).join("、")} · `, daysLeftNode(next.daysLeft)),
        ]
      : el("span", { id: "next-patient-none", class: "muted", text: "待随访列表中没有其他患者了。" }),
  );
}

function start(doctor: Principal): void {
  byId("prescriber", HTMLSpanElement).textContent = `${doctor.name || doctor.sub} · ${doctor.sub} · ${doctor.orgName || doctor.org}`;
  byId("add-diagnosis", HTMLButtonElement).addEventListener("click", () => addDiagnosis().code.focus());
  allDays.addEventListener("input", () => {
    const n = Number(allDays.value);
    if (Number.isInteger(n) && n > 0) {
      for (const item of items) {
        item.days.value = String(n);
        recompute(item);
      }
    }
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-days]")) b.addEventListener("click", () => setAllDays(Number(b.dataset.days)));
  kind.addEventListener("change", syncKind);
  for (const r of form.querySelectorAll<HTMLInputElement>("input[name=mode]")) r.addEventListener("change", syncMode);
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  validateBtn.addEventListener("click", validate);
  signBtn.addEventListener("click", sign);
  newBtn.addEventListener("click", () => {
    location.href = "/ui/prescribe";
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    validate();
  });

  patient.addEventListener("change", () => void showPatient(patient.value.trim()));
  // a name, pinyin initials, phone or id finds the patient; choosing one puts their id in the box
  const patientPicker = combobox<PatientHit>({
    input: patient,
    list: byId("patient-options", HTMLDivElement),
    idPrefix: "rx-patient-option",
    ...patientSearch(msg),
    choose(hit) {
      patient.value = hit.id;
      patientPicker.close();
      void showPatient(hit.id);
      kind.focus();
    },
  });

  syncKind();
  syncMode();
  renumberItems();
  const from = params.get("from")?.trim();
  const patientId = params.get("patientId")?.trim();
  // data-state="ready" once a pre-filled draft is in place with its findings (the browser tests wait for it)
  const ready = () => {
    form.dataset.state = "ready";
  };
  if (renewing) void startRenewal(renewing).finally(ready);
  else if (from) void startFrom(from).finally(ready);
  else {
    ready();
    addDiagnosis();
    if (patientId) {
      patient.value = patientId;
      void showPatient(patientId);
      kind.focus();
    } else patient.focus();
  }
}

const doctor = requireLogin(msg, ["doctor"]);
if (doctor) start(doctor);
else {
  draftFields.disabled = true;
  validateBtn.disabled = true;
  signBtn.disabled = true;
}
