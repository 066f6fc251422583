/**
 * /ui/prescribe (doctors): build a draft, "检查" runs every rule, "签名" signs it. The
 * Idempotency-Key is made once per draft content: a retry of the same draft (double click,
 * lost answer) reuses it and gets the stored answer; any edit makes a new draft and a new key.
 */
// biome-ignore lint/complexity/noUselessStringRaw: raw keeps any backslash escape in the browser code as written
export const PRESCRIBE_JS = String.raw`
(() => {
  "use strict";
  const { el, replace, clear, api } = YL;
  const $ = (id) => document.getElementById(id);
  const form = $("draft");
  const msg = $("msg");
  const patient = $("patient");
  const kind = $("kind");
  const diagBody = document.querySelector("#diagnoses tbody");
  const itemsBody = document.querySelector("#items tbody");
  const itemsTable = $("items");
  const noItems = $("no-items");
  const allDays = $("all-days");
  const drugQ = $("drug-q");
  const drugList = $("drug-options");
  const longTerm = $("long-term");
  const extended = $("extended");
  const instalmentsField = $("instalments-field");
  const findingsBox = $("findings");
  const resultBox = $("result");
  const validateBtn = $("validate");
  const signBtn = $("sign");
  const newBtn = $("new-draft");
  const COMMON = [...$("icd10-common").options].map((o) => ({ icd10: o.value, name: o.label || o.textContent }));

  const principal = YL.requireLogin(msg, ["doctor"]);
  if (!principal) { $("draft-fields").disabled = true; validateBtn.disabled = true; signBtn.disabled = true; return; }
  $("prescriber").textContent = (principal.name || principal.sub) + " · " + principal.sub + " · " + principal.org;

  // ---------- diagnoses ----------
  function addDiagnosis(icd10, name) {
    const code = el("input", { type: "text", class: "icd", list: "icd10-common", placeholder: "ICD-10，如 I10", value: icd10 || "", "aria-label": "ICD-10 编码" });
    const label = el("input", { type: "text", placeholder: "诊断名称", value: name || "", "aria-label": "诊断名称" });
    code.addEventListener("change", () => {
      const hit = COMMON.find((d) => d.icd10 === code.value.trim().toUpperCase());
      if (hit && !label.value.trim()) label.value = hit.name;
    });
    const tr = el("tr", null,
      el("td", null, code),
      el("td", null, label),
      el("td", null, el("button", { type: "button", class: "link", onclick: () => { tr.remove(); renumberDiagnoses(); changed(); } }, "移除")),
    );
    diagBody.appendChild(tr);
    renumberDiagnoses();
    return tr;
  }
  function renumberDiagnoses() {
    [...diagBody.rows].forEach((tr, i) => { tr.querySelector("input.icd").dataset.path = "diagnoses." + i + ".icd10"; });
  }
  $("add-diagnosis").addEventListener("click", () => addDiagnosis().querySelector("input").focus());

  // ---------- items ----------
  const items = [];
  function defaultDays() {
    const all = Number(allDays.value);
    if (Number.isInteger(all) && all > 0) return all;
    return kind.value === "long_term" ? 28 : kind.value === "emergency" ? 3 : 7;
  }
  /** Packages that dose x frequency x days needs, when the dose is in the strength's unit. */
  function neededPackages(item) {
    const e = item.entry;
    const perDay = YL.dosesPerDay[item.freq.value];
    const dose = Number(item.dose.value);
    const days = Number(item.days.value);
    if (!perDay || !(dose > 0) || !(days > 0) || item.unit.value.trim() !== e.strength.unit) return null;
    const units = (dose / e.strength.value) * perDay * days;
    return Math.max(1, Math.ceil(units / e.pack.size - 1e-9));
  }
  function recompute(item) {
    const n = neededPackages(item);
    item.hint.textContent = n === null ? "" : "按剂量需 " + n;
    if (n !== null && !item.manual) item.packages.value = String(n);
  }
  function addItem(entry) {
    const item = { entry, manual: false };
    item.dose = el("input", { type: "number", min: "0", step: "any", value: String(entry.strength.value), "aria-label": "单次剂量" });
    item.unit = el("input", { type: "text", class: "unit", value: entry.strength.unit, "aria-label": "剂量单位" });
    item.freq = el("select", { "aria-label": "频次" }, Object.keys(YL.labels.frequency).map((f) => el("option", { value: f, text: YL.label("frequency", f) })));
    item.days = el("input", { type: "number", min: "1", step: "1", value: String(defaultDays()), class: "days", "aria-label": "天数" });
    item.packages = el("input", { type: "number", min: "1", step: "1", class: "packages", "aria-label": "数量（包装）" });
    item.hint = el("span", { class: "sub" });
    for (const input of [item.dose, item.unit, item.freq, item.days]) input.addEventListener("input", () => recompute(item));
    item.packages.addEventListener("input", () => { item.manual = item.packages.value !== ""; if (!item.manual) recompute(item); });
    item.row = el("tr", { dataset: { code: entry.code } },
      el("td", null, el("span", { class: "idx" }), " ", el("strong", { text: entry.genericName }),
        el("span", { class: "sub", text: entry.form + " · " + YL.qty(entry.strength) + " · " + YL.pack(entry.pack) + "/包装 · " + entry.code })),
      el("td", null, el("div", { class: "row" }, item.dose, item.unit)),
      el("td", null, item.freq),
      el("td", null, item.days),
      el("td", null, item.packages, " ", el("span", { class: "muted small", text: "包装" }), item.hint),
      el("td", null, el("button", { type: "button", class: "link", onclick: () => removeItem(item) }, "移除")),
    );
    items.push(item);
    itemsBody.appendChild(item.row);
    recompute(item);
    renumberItems();
    changed();
  }
  function removeItem(item) {
    items.splice(items.indexOf(item), 1);
    item.row.remove();
    renumberItems();
    changed();
  }
  function renumberItems() {
    items.forEach((item, i) => {
      item.row.querySelector(".idx").textContent = i + 1 + ".";
      item.dose.dataset.path = "items." + i + ".dose";
      item.freq.dataset.path = "items." + i + ".frequency";
      item.days.dataset.path = "items." + i + ".days";
      item.packages.dataset.path = "items." + i + ".packages";
    });
    itemsTable.hidden = items.length === 0;
    noItems.hidden = items.length > 0;
  }
  function setAllDays(days) {
    allDays.value = String(days);
    for (const item of items) { item.days.value = String(days); recompute(item); }
    changed();
  }
  allDays.addEventListener("input", () => {
    const n = Number(allDays.value);
    if (Number.isInteger(n) && n > 0) for (const item of items) { item.days.value = String(n); recompute(item); }
  });
  for (const b of document.querySelectorAll("button[data-days]")) b.addEventListener("click", () => setAllDays(Number(b.dataset.days)));

  // ---------- drug picker (formulary search) ----------
  let options = [];
  let active = -1;
  let pickSeq = 0;
  function closePicker() { drugList.hidden = true; drugQ.setAttribute("aria-expanded", "false"); active = -1; }
  function highlight(i) {
    active = i;
    [...drugList.children].forEach((li, j) => { li.classList.toggle("active", j === i); li.setAttribute("aria-selected", String(j === i)); });
  }
  function pick(entry) {
    addItem(entry);
    drugQ.value = "";
    closePicker();
    drugQ.focus();
  }
  const searchDrugs = YL.debounce(async () => {
    const q = drugQ.value.trim();
    const mine = ++pickSeq;
    if (!q) { closePicker(); return; }
    const res = await api("GET", "/formulary/drugs?status=active&limit=10&q=" + encodeURIComponent(q)).catch(() => null);
    if (mine !== pickSeq) return;
    if (!res || !res.ok) { replace(msg, res ? YL.problemNotice(res) : YL.networkNotice()); return; }
    options = res.body.items;
    replace(drugList, options.length
      ? options.map((e, i) => el("div", { role: "option", id: "drug-option-" + i, dataset: { code: e.code }, "aria-selected": "false",
          onmousedown: (ev) => { ev.preventDefault(); pick(e); } },
          e.genericName, el("span", { class: "sub", text: e.form + " " + YL.qty(e.strength) + " ×" + YL.pack(e.pack) + " · " + e.code })))
      : el("div", { class: "empty muted", text: "没有匹配的在用药品" }));
    drugList.hidden = false;
    drugQ.setAttribute("aria-expanded", "true");
    highlight(options.length ? 0 : -1);
  }, 200);
  drugQ.addEventListener("input", searchDrugs);
  drugQ.addEventListener("keydown", (ev) => {
    if (drugList.hidden) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (ev.key === "Enter") { ev.preventDefault(); if (options[active]) pick(options[active]); }
    else if (ev.key === "Escape") closePicker();
  });
  drugQ.addEventListener("blur", () => setTimeout(closePicker, 150));

  // ---------- kind, fulfilment ----------
  function syncKind() {
    const long = kind.value === "long_term";
    longTerm.hidden = !long;
    longTerm.disabled = !long;
    extended.hidden = kind.value !== "normal";
    instalmentsField.hidden = !long;
  }
  kind.addEventListener("change", syncKind);
  function syncMode() {
    const pickup = form.querySelector("input[name=mode]:checked").value === "pickup";
    $("pickup-fields").hidden = !pickup;
    $("delivery-fields").hidden = pickup;
  }
  for (const r of form.querySelectorAll("input[name=mode]")) r.addEventListener("change", syncMode);

  // ---------- the draft ----------
  const num = (input) => (input.value.trim() === "" ? null : Number(input.value));
  function buildDraft() {
    const draft = {
      patientId: patient.value.trim(),
      kind: kind.value,
      diagnoses: [...diagBody.rows]
        .map((tr) => { const [c, n] = tr.querySelectorAll("input"); return { icd10: c.value.trim().toUpperCase(), name: n.value.trim() }; })
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
      fulfilment: { mode: form.querySelector("input[name=mode]:checked").value },
    };
    if (draft.kind === "normal" && $("extended-reason").value.trim()) draft.extendedReason = $("extended-reason").value.trim();
    if (draft.kind === "long_term") {
      draft.longTerm = { firstIssue: $("first-issue").checked, assessment: $("assessment").value.trim(), patientConfirmed: $("confirmed").checked };
      const n = Number($("instalments").value);
      if (n > 1) draft.fulfilment.instalments = n;
    }
    if (draft.fulfilment.mode === "pickup") draft.fulfilment.pickupSiteId = $("pickup-site").value;
    else draft.fulfilment.address = { region: $("addr-region").value.trim(), line: $("addr-line").value.trim(), phone: $("addr-phone").value.trim() };
    return draft;
  }

  // ---------- findings ----------
  function markFields(paths) {
    for (const node of form.querySelectorAll(".field-error")) node.classList.remove("field-error");
    for (const p of paths) {
      if (!p) continue;
      for (const node of form.querySelectorAll("[data-path]")) {
        const own = node.dataset.path;
        if (own === p || own.startsWith(p + ".") || p.startsWith(own + ".")) node.classList.add("field-error");
      }
    }
  }
  function findingNode(f) {
    return el("div", { class: "finding " + f.severity, dataset: { rule: f.ruleId, severity: f.severity } },
      YL.badge(YL.label("severity", f.severity), f.severity === "error" ? "red" : "amber"),
      el("code", { class: "rule", text: f.ruleId }),
      el("span", { class: "message", text: f.message }),
      el("span", { class: "source", text: "依据：" + f.source }),
    );
  }
  function itemTitle(i) {
    const item = items[i];
    return "第 " + (i + 1) + " 项" + (item ? "：" + item.entry.genericName + " " + YL.qty(item.entry.strength) : "");
  }
  /** Every finding, grouped by item: the prescription as a whole first, then item by item. */
  function renderFindings(findings, heading) {
    const errors = findings.filter((f) => f.severity === "error");
    const warnings = findings.filter((f) => f.severity === "warning");
    const groups = new Map();
    for (const f of findings) {
      const key = typeof f.itemIndex === "number" ? f.itemIndex : -1;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(f);
    }
    const keys = [...groups.keys()].sort((a, b) => a - b);
    for (const item of items) item.row.classList.remove("has-error");
    for (const f of errors) if (typeof f.itemIndex === "number" && items[f.itemIndex]) items[f.itemIndex].row.classList.add("has-error");
    markFields(errors.map((f) => f.path));
    findingsBox.hidden = false;
    delete findingsBox.dataset.stale;
    replace(findingsBox,
      el("h2", { text: heading }),
      el("div", { class: errors.length ? "notice err" : "notice ok", id: "verdict", role: "status", dataset: { valid: String(errors.length === 0) } },
        errors.length ? "发现 " + errors.length + " 个错误，不能签名" : "检查通过：没有错误，可以签名",
        warnings.length ? "（另有 " + warnings.length + " 个警告，请留意）" : "",
        "。"),
      el("p", { class: "muted small", id: "stale-note", hidden: true, text: "草稿已修改，以上结果可能已过期，请重新检查。" }),
      keys.map((k) => el("section", { class: "group", dataset: { item: String(k) } },
        el("h3", { text: k === -1 ? "处方整体" : itemTitle(k) }),
        groups.get(k).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1)).map(findingNode))),
    );
  }
  function changed() {
    $("totals").textContent = "";
    if (!findingsBox.hidden && !findingsBox.dataset.stale) {
      findingsBox.dataset.stale = "1";
      const note = $("stale-note");
      if (note) note.hidden = false;
    }
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  function busy(on) {
    validateBtn.disabled = on;
    signBtn.disabled = on;
    form.setAttribute("aria-busy", String(on));
  }

  async function validate() {
    clear(msg);
    busy(true);
    try {
      const res = await api("POST", "/prescriptions/validate", { json: buildDraft() });
      if (!res.ok) { replace(msg, YL.problemNotice(res)); markFields(((res.body && res.body.issues) || []).map((i) => i.path)); return; }
      renderFindings(res.body.findings, "检查结果");
      $("totals").textContent = "目录版本 " + res.body.formularyVersion + " · 总天数 " + res.body.totals.days;
    } catch {
      replace(msg, YL.networkNotice());
    } finally {
      busy(false);
    }
  }

  /** One key per draft content: the same draft retried keeps its key, an edited draft gets a new one. */
  let idem = null;
  async function sign() {
    clear(msg);
    const draft = buildDraft();
    const body = JSON.stringify(draft);
    if (!idem || idem.body !== body) idem = { key: YL.uuid(), body };
    busy(true);
    let done = false;
    try {
      const res = await api("POST", "/prescriptions", { body, headers: { "content-type": "application/json", "idempotency-key": idem.key } });
      if (res.status === 201) { done = true; showSigned(res.body); return; }
      if (res.status === 422 && res.body && Array.isArray(res.body.findings)) { renderFindings(res.body.findings, "签名被拒绝"); return; }
      replace(msg, YL.problemNotice(res));
    } catch {
      replace(msg, YL.networkNotice());
    } finally {
      busy(false);
      if (done) { validateBtn.disabled = true; signBtn.disabled = true; }
    }
  }

  function showSigned(rx) {
    $("draft-fields").disabled = true;
    markFields([]);
    for (const item of items) item.row.classList.remove("has-error");
    $("totals").textContent = "";
    findingsBox.hidden = true;
    resultBox.hidden = false;
    replace(resultBox,
      el("div", { class: "notice ok", role: "status" }, el("strong", { text: "处方已签名" }),
        Array.isArray(rx.orders) && rx.orders.length ? "，已生成 " + rx.orders.length + " 个云药房订单，等待药师审核。" : "。"),
      el("div", { class: "kv" },
        el("span", { class: "muted", text: "处方号" }), el("code", { id: "rx-id", class: "mono", text: rx.id }),
        el("span", { class: "muted", text: "状态" }), el("span", { text: rx.status === "signed" ? "已签名 (signed)" : rx.status }),
        el("span", { class: "muted", text: "内容哈希 SHA-256" }), el("code", { id: "rx-hash", class: "mono", text: rx.contentHash }),
        el("span", { class: "muted", text: "签名密钥" }), el("code", { class: "mono", text: rx.signatureKeyId }),
        el("span", { class: "muted", text: "目录版本" }), el("span", { text: String(rx.formularyVersion) }),
        el("span", { class: "muted", text: "开具时间" }), el("span", { text: YL.time(rx.writtenAt) + " · " + rx.days + " 天" }),
      ),
      rx.findings && rx.findings.length ? [el("h3", { text: "签名时的警告" }), rx.findings.map(findingNode)] : null,
    );
    newBtn.hidden = false;
    resultBox.scrollIntoView({ block: "nearest" });
  }

  validateBtn.addEventListener("click", validate);
  signBtn.addEventListener("click", sign);
  newBtn.addEventListener("click", () => { location.href = "/ui/prescribe"; });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); validate(); });

  addDiagnosis();
  syncKind();
  syncMode();
  renumberItems();
  patient.focus();
})();
`;
