/**
 * /ui/reviews (admins): draw a finished month's sample per institution, follow each
 * sample's progress, and review a sample prescription by prescription with the keyboard:
 * J/K or ↓/↑ move, digit keys toggle the numbered standard items (two digits for 10–28),
 * 0 clears them (合理), N writes a note, Enter saves (If-Match) and moves on. The engine's
 * findings pre-tick the items they suggest, marked 系统提示; the reviewer confirms or clears.
 * /ui/reviews/feedback: the per-doctor feedback list (doctors: their own), printable.
 */
import { outcomeOf, type ReviewOutcome, STANDARD_ITEMS } from "../../../reviews/standard-items";
import { api, badge, byId, date, el, label, networkNotice, notice, problemNotice, query, replace, requireLogin, sexAge, time, type Tone } from "../lib";

interface Sample {
  id: string;
  month: string;
  institutionId: string;
  institutionName: string;
  size: number;
  population: number;
  drawn: number;
  reviewed: number;
  rational: number;
  rate: number | null;
  status: "open" | "closed";
  version: number;
}

interface Finding {
  ruleId: string;
  severity: string;
  itemIndex?: number;
  message: string;
}

interface SampleItem {
  prescriptionId: string;
  outcome: ReviewOutcome | null;
  problems: string[];
  note: string | null;
  reviewerId: string | null;
  reviewedAt: string | null;
  version: number;
  prescriberName: string;
  kind: string;
  status: string;
  signedAt: string;
  days: number;
  patient: { id: string; gender: string; age: number };
  content: {
    diagnoses: { icd10: string; name?: string }[];
    items: { genericName: string | null; drugCode: string; form: string | null; strength: { value: number; unit: string } | null; dose: { value: number; unit: string }; frequency: string; days: number; packages: number }[];
    extendedReason: string | null;
  } | null;
  findings: Finding[];
  suggested: string[];
}

interface DoctorSummary {
  prescriberId: string;
  prescriberName: string;
  institutionId: string;
  institutionName: string;
  reviewed: number;
  rational: number;
  nonStandard: number;
  inappropriate: number;
  abnormal: number;
  rate: number | null;
}

interface FeedbackItem {
  prescriptionId: string;
  month: string;
  signedAt: string;
  outcome: ReviewOutcome;
  problems: { code: string; label: string }[];
  note: string | null;
  sampleClosed: boolean;
  diagnoses: string[];
  drugs: string[];
}

const msg = byId("msg", HTMLDivElement);
const OUTCOME_TONE: Record<ReviewOutcome, Tone> = { rational: "green", non_standard: "amber", inappropriate: "red", abnormal: "purple" };
const CATEGORY_TITLE = { non_standard: "不规范处方", inappropriate: "用药不适宜处方", abnormal: "超常处方" } as const;

const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);
const outcomeBadge = (o: ReviewOutcome | null) => (o === null ? badge("未点评", "grey") : badge(label("reviewOutcome", o), OUTCOME_TONE[o]));

/** The China month before the current one, 'YYYY-MM' (the month to draw by default). */
function lastMonth(): string {
  const china = new Date(Date.now() + 8 * 3_600_000);
  china.setUTCDate(1);
  china.setUTCMonth(china.getUTCMonth() - 1);
  return china.toISOString().slice(0, 7);
}

async function call<T>(method: "GET" | "POST" | "PUT", path: string, opts: { json?: unknown; headers?: Record<string, string> } = {}) {
  const res = await api<T>(method, path, opts).catch(() => null);
  if (!res) replace(msg, networkNotice());
  return res;
}

// ======================================================================================
// The admins' page: samples and the review
// ======================================================================================

function reviewsPage(): void {
  if (!requireLogin(msg, ["admin"])) return;
  const monthInput = byId("month", HTMLInputElement);
  const institution = byId("institution", HTMLSelectElement);
  const drawForm = byId("draw-form", HTMLFormElement);
  const samplesSection = byId("samples-section", HTMLElement);
  const samplesTable = byId("samples", HTMLTableElement);
  const samplesBody = query("#samples tbody", HTMLTableSectionElement);
  const samplesEmpty = byId("samples-empty", HTMLParagraphElement);
  const samplesCount = byId("samples-count", HTMLSpanElement);
  const feedbackLink = byId("feedback-link", HTMLAnchorElement);
  const reviewSection = byId("review-section", HTMLElement);
  const reviewTitle = byId("review-title", HTMLHeadingElement);
  const reviewProgress = byId("review-progress", HTMLParagraphElement);
  const list = byId("review-list", HTMLOListElement);
  const card = byId("review-card", HTMLDivElement);
  const closeBtn = byId("close-sample", HTMLButtonElement);

  const params = new URLSearchParams(location.search);
  monthInput.max = lastMonth();
  monthInput.value = params.get("month") ?? lastMonth();

  let sample: Sample | null = null;
  let items: SampleItem[] = [];
  let index = 0;
  /** the ticks of the current item, as edited (not saved yet) */
  let ticked = new Set<string>();
  let digits = "";
  let digitTimer: ReturnType<typeof setTimeout> | undefined;

  async function loadInstitutions(): Promise<void> {
    const res = await call<{ items: { id: string; name: string; level: string }[] }>("GET", "/institutions?limit=100");
    if (!res?.ok) return;
    for (const i of res.body.items) institution.append(el("option", { value: i.id, text: `${i.name}（${label("minLevel", i.level)}）` }));
  }

  async function loadSamples(): Promise<void> {
    // the tests (and anyone scripting the page) wait for "ready": the rows are then this month's, as stored
    samplesSection.dataset.state = "loading";
    const res = await call<{ items: Sample[] }>("GET", `/reviews/samples?month=${encodeURIComponent(monthInput.value)}`);
    samplesSection.dataset.state = "ready";
    if (!res) return;
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    feedbackLink.href = `/ui/reviews/feedback?month=${encodeURIComponent(monthInput.value)}`;
    samplesCount.textContent = res.body.items.length ? `${res.body.items.length} 个` : "";
    samplesEmpty.hidden = res.body.items.length > 0;
    samplesTable.hidden = res.body.items.length === 0;
    replace(samplesBody, res.body.items.map(sampleRow));
  }

  function sampleRow(s: Sample): HTMLTableRowElement {
    const open = el("button", { type: "button", class: s.status === "open" ? "primary" : null, text: s.status === "open" ? "点评" : "查看", onclick: () => void openSample(s.id) });
    return el(
      "tr",
      { dataset: { sample: s.id, institution: s.institutionId } },
      el("td", { text: s.month }),
      el("td", { text: s.institutionName }),
      el("td", { class: "num", text: `${s.drawn} / ${s.population}` }),
      el(
        "td",
        { class: "progress-cell" },
        el("progress", { max: String(Math.max(s.drawn, 1)), value: String(s.reviewed), "aria-label": `已点评 ${s.reviewed} / ${s.drawn}` }),
        el("span", { class: "sub", text: `已点评 ${s.reviewed} / ${s.drawn}` }),
      ),
      el("td", { class: "num rate", text: percent(s.rate) }),
      el("td", null, badge(label("reviewStatus", s.status), s.status === "open" ? "blue" : "green")),
      el("td", { class: "no-print" }, open),
    );
  }

  drawForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!monthInput.value) {
      replace(msg, notice("warn", "请选择月份。"));
      return;
    }
    const body = { month: monthInput.value, ...(institution.value ? { institutionId: institution.value } : {}) };
    const res = await call<{ samples: Sample[]; skipped: { institutionId: string; reason: string }[] }>("POST", "/reviews/samples", { json: body });
    if (!res) return;
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    const drawn = res.body.samples;
    const skipped = res.body.skipped.length ? `；跳过 ${res.body.skipped.length} 个机构（已抽取或当月无处方）` : "";
    replace(msg, notice(drawn.length ? "ok" : "info", drawn.length ? `已抽取 ${drawn.length} 个样本，共 ${drawn.reduce((n, s) => n + s.drawn, 0)} 张处方${skipped}。` : `没有可抽取的机构${skipped}。`));
    await loadSamples();
    const only = drawn.length === 1 ? drawn[0] : undefined;
    if (only && institution.value) await openSample(only.id);
  });
  monthInput.addEventListener("change", () => void loadSamples());

  // ---------- one sample, item by item ----------
  async function openSample(id: string, at = 0): Promise<void> {
    const res = await call<Sample & { items: SampleItem[] }>("GET", `/reviews/samples/${encodeURIComponent(id)}`);
    if (!res) return;
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    sample = res.body;
    items = res.body.items;
    samplesSection.hidden = true;
    reviewSection.hidden = false;
    reviewTitle.textContent = `${sample.institutionName} · ${sample.month} 处方点评`;
    const firstOpen = items.findIndex((i) => i.outcome === null);
    show(at > 0 ? at : Math.max(firstOpen, 0));
  }

  function renderProgress(): void {
    if (!sample) return;
    const reviewed = items.filter((i) => i.outcome !== null);
    const rational = reviewed.filter((i) => i.outcome === "rational").length;
    const rate = reviewed.length ? rational / reviewed.length : null;
    reviewProgress.textContent = `已点评 ${reviewed.length} / ${items.length} 张 · 合理 ${rational} 张 · 合理率 ${percent(rate)} · 总处方 ${sample.population} 张 · ${label("reviewStatus", sample.status)}`;
    closeBtn.hidden = sample.status === "closed";
    closeBtn.disabled = reviewed.length < items.length;
    replace(
      list,
      items.map((item, n) =>
        el(
          "li",
          { class: n === index ? "current" : null, dataset: { rx: item.prescriptionId }, "aria-current": n === index ? "true" : null, onclick: () => show(n) },
          el("span", { class: "no", text: `${n + 1}` }),
          el("span", { class: "when", text: date(item.signedAt) }),
          el("span", { class: "who", text: item.prescriberName }),
          item.suggested.length && item.outcome === null ? badge("系统提示", "cyan") : null,
          outcomeBadge(item.outcome),
        ),
      ),
    );
  }

  function show(n: number): void {
    const item = items[n];
    if (!item) return;
    index = n;
    ticked = new Set(item.outcome === null ? item.suggested : item.problems);
    renderProgress();
    renderCard(item);
    // scroll the list only (scrollIntoView would scroll the page too)
    const current = list.querySelector<HTMLLIElement>("li.current");
    if (current && (current.offsetTop < list.scrollTop || current.offsetTop + current.offsetHeight > list.scrollTop + list.clientHeight)) {
      list.scrollTop = current.offsetTop - list.clientHeight / 2;
    }
    card.focus({ preventScroll: true });
  }

  function renderCard(item: SampleItem): void {
    const c = item.content;
    const closed = sample?.status === "closed";
    const suggested = new Set(item.suggested);
    const verdict = el("p", { class: "review-verdict", id: "verdict" });
    const updateVerdict = () => replace(verdict, "判定：", outcomeBadge(outcomeOf([...ticked])), ticked.size ? ` 问题 ${ticked.size} 项` : "");
    const checklist = (["non_standard", "inappropriate", "abnormal"] as const).map((category) =>
      el(
        "fieldset",
        { class: `items ${category}` },
        el("legend", { text: CATEGORY_TITLE[category] }),
        STANDARD_ITEMS.map((s, i) =>
          s.category !== category
            ? null
            : el(
                "label",
                { class: suggested.has(s.code) ? "item suggested" : "item", dataset: { code: s.code } },
                el("input", {
                  type: "checkbox",
                  value: s.code,
                  checked: ticked.has(s.code),
                  disabled: closed,
                  onchange: (ev) => {
                    const box = ev.target;
                    if (!(box instanceof HTMLInputElement)) return;
                    if (box.checked) ticked.add(s.code);
                    else ticked.delete(s.code);
                    updateVerdict();
                  },
                }),
                el("span", { class: "key", text: String(i + 1) }),
                el("span", { class: "text", text: s.label }),
                suggested.has(s.code) ? badge("系统提示", "cyan") : null,
              ),
        ),
      ),
    );
    const note = el("textarea", { id: "note", maxlength: "500", placeholder: "点评意见（可选，反馈给医师）", "aria-label": "点评意见" });
    note.value = item.note ?? "";
    note.disabled = closed;
    const save = el("button", { type: "button", class: "primary", id: "save", text: "保存并下一张（Enter）", disabled: closed, onclick: () => void saveCurrent(note.value) });
    updateVerdict();
    replace(
      card,
      el(
        "div",
        { class: "rx-head" },
        el("strong", { text: `第 ${index + 1} / ${items.length} 张` }),
        el("span", { text: label("kind", item.kind) }),
        el("span", { text: time(item.signedAt) }),
        el("span", { text: `医师 ${item.prescriberName}` }),
        el("span", { text: `患者 ${item.patient.id} · ${sexAge(item.patient)}` }),
        item.outcome !== null ? el("span", { class: "muted", text: `已点评（${item.reviewerId ?? ""} ${item.reviewedAt ? time(item.reviewedAt) : ""}）` }) : null,
      ),
      el("p", null, el("span", { class: "muted", text: "诊断：" }), c ? c.diagnoses.map((d) => `${d.name ?? ""}（${d.icd10}）`).join("；") : "（处方内容无法读取）"),
      c
        ? el(
            "table",
            { class: "grid compact rx-items" },
            el("thead", null, el("tr", null, ["药品", "剂型规格", "单次剂量", "用法", "天数", "数量"].map((h) => el("th", { text: h })))),
            el(
              "tbody",
              null,
              c.items.map((i) =>
                el(
                  "tr",
                  null,
                  el("td", { text: i.genericName ?? i.drugCode }),
                  el("td", { text: [i.form, i.strength ? `${i.strength.value}${i.strength.unit}` : null].filter(Boolean).join(" ") }),
                  el("td", { text: `${i.dose.value}${i.dose.unit}` }),
                  el("td", { text: label("frequency", i.frequency) }),
                  el("td", { class: "num", text: i.days }),
                  el("td", { class: "num", text: i.packages }),
                ),
              ),
            ),
          )
        : null,
      c?.extendedReason ? el("p", { class: "small" }, el("span", { class: "muted", text: "延长用量理由：" }), c.extendedReason) : null,
      item.findings.length
        ? el(
            "ul",
            { class: "findings" },
            item.findings.map((f) => el("li", null, badge("系统提示", "cyan"), badge(label("severity", f.severity), f.severity === "error" ? "red" : "amber"), ` ${f.message}`, el("span", { class: "sub", text: f.ruleId }))),
          )
        : el("p", { class: "muted small", text: "开具时系统未提示问题。" }),
      checklist,
      note,
      el("div", { class: "actions" }, verdict, save),
    );
  }

  async function saveCurrent(noteText: string): Promise<void> {
    const item = items[index];
    if (!sample || !item || sample.status === "closed") return;
    const problems = STANDARD_ITEMS.filter((s) => ticked.has(s.code)).map((s) => s.code);
    const res = await call<{ outcome: ReviewOutcome; problems: string[]; note: string | null; reviewerId: string; reviewedAt: string; version: number }>(
      "PUT",
      `/reviews/samples/${encodeURIComponent(sample.id)}/items/${encodeURIComponent(item.prescriptionId)}`,
      { json: { problems, ...(noteText.trim() ? { note: noteText.trim() } : {}) }, headers: { "if-match": `"${item.version}"` } },
    );
    if (!res) return;
    if (!res.ok) {
      replace(msg, problemNotice(res));
      // someone else changed it: show what is stored now
      if (res.status === 412 || res.status === 409) await openSample(sample.id, index);
      return;
    }
    Object.assign(item, res.body);
    replace(msg, notice("ok", `已保存第 ${index + 1} 张：${label("reviewOutcome", res.body.outcome)}。`));
    if (index + 1 < items.length) show(index + 1);
    else {
      renderProgress();
      renderCard(item);
    }
  }

  closeBtn.addEventListener("click", async () => {
    if (!sample) return;
    const res = await call<Sample>("POST", `/reviews/samples/${encodeURIComponent(sample.id)}/close`);
    if (!res) return;
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    replace(msg, notice("ok", `${res.body.institutionName} ${res.body.month} 点评完成：合理率 ${percent(res.body.rate)}。结果已反馈给医师。`));
    await openSample(sample.id, index);
  });
  byId("back", HTMLButtonElement).addEventListener("click", async () => {
    reviewSection.hidden = true;
    samplesSection.hidden = false;
    sample = null;
    replace(msg);
    await loadSamples();
  });

  function toggle(number: number): void {
    const code = STANDARD_ITEMS[number - 1]?.code;
    const box = code ? card.querySelector<HTMLInputElement>(`label[data-code="${code}"] input`) : null;
    if (!box || box.disabled) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change"));
  }

  /** Digits name an item: 3–9 at once; 1 or 2 wait briefly for a second digit (10–28). */
  function digit(d: string): void {
    clearTimeout(digitTimer);
    digits += d;
    const n = Number(digits);
    if (digits.length === 2 || n * 10 > STANDARD_ITEMS.length) {
      digits = "";
      toggle(n);
      return;
    }
    digitTimer = setTimeout(() => {
      digits = "";
      toggle(n);
    }, 700);
  }

  document.addEventListener("keydown", (ev) => {
    if (reviewSection.hidden || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const target = ev.target;
    if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type !== "checkbox") || target instanceof HTMLSelectElement) {
      if (ev.key === "Escape") card.focus();
      return;
    }
    const key = ev.key;
    if (key === "j" || key === "J" || key === "ArrowDown") show(index + 1);
    else if (key === "k" || key === "K" || key === "ArrowUp") show(index - 1);
    else if (key === "Enter") void saveCurrent(card.querySelector<HTMLTextAreaElement>("#note")?.value ?? "");
    else if (key === "0" && !digits) {
      for (const box of card.querySelectorAll<HTMLInputElement>("fieldset input:checked")) {
        box.checked = false;
        box.dispatchEvent(new Event("change"));
      }
    } else if (/^[0-9]$/.test(key)) digit(key);
    else if (key === "n" || key === "N") card.querySelector<HTMLTextAreaElement>("#note")?.focus();
    else return;
    ev.preventDefault();
  });

  void loadInstitutions();
  void loadSamples();
}

// ======================================================================================
// Feedback: per doctor, printable
// ======================================================================================

function feedbackPage(): void {
  const me = requireLogin(msg, ["admin", "doctor"]);
  if (!me) return;
  const monthInput = byId("fb-month", HTMLInputElement);
  const doctorInput = byId("fb-doctor", HTMLInputElement);
  const doctorsTable = byId("fb-doctors", HTMLTableElement);
  const doctorsBody = query("#fb-doctors tbody", HTMLTableSectionElement);
  const itemsTable = byId("fb-items", HTMLTableElement);
  const itemsBody = query("#fb-items tbody", HTMLTableSectionElement);
  const empty = byId("fb-empty", HTMLParagraphElement);
  const scope = byId("fb-scope", HTMLParagraphElement);
  const isAdmin = me.role === "admin";
  byId("fb-doctor-label", HTMLLabelElement).hidden = !isAdmin;

  const params = new URLSearchParams(location.search);
  monthInput.value = params.get("month") ?? "";
  doctorInput.value = params.get("prescriberId") ?? "";

  async function load(): Promise<void> {
    const q = new URLSearchParams();
    if (monthInput.value) q.set("month", monthInput.value);
    if (isAdmin && doctorInput.value.trim()) q.set("prescriberId", doctorInput.value.trim());
    history.replaceState(null, "", `/ui/reviews/feedback${q.size ? `?${q}` : ""}`);
    const res = await call<{ doctors: DoctorSummary[]; items: FeedbackItem[]; truncated: boolean }>("GET", `/reviews/feedback?${q}`);
    if (!res) return;
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    replace(msg);
    scope.textContent = [
      monthInput.value ? `${monthInput.value} 月` : "近 12 个月",
      isAdmin ? "（含点评中的样本）" : "，仅显示已完成点评的样本中您开具的处方",
      res.body.truncated ? "；仅列出最近 500 张，汇总包含全部" : "",
    ].join("");
    doctorsTable.hidden = res.body.doctors.length === 0;
    replace(
      doctorsBody,
      res.body.doctors.map((d) =>
        el(
          "tr",
          null,
          el("td", null, d.prescriberName, el("span", { class: "sub", text: d.prescriberId })),
          el("td", { text: d.institutionName }),
          ...[d.reviewed, d.rational, d.nonStandard, d.inappropriate, d.abnormal].map((n) => el("td", { class: "num", text: n })),
          el("td", { class: "num rate", text: percent(d.rate) }),
        ),
      ),
    );
    empty.hidden = res.body.items.length > 0;
    itemsTable.hidden = res.body.items.length === 0;
    replace(
      itemsBody,
      res.body.items.map((i) =>
        el(
          "tr",
          { class: i.outcome === "rational" ? null : "irrational" },
          el("td", { class: "month", text: i.month }),
          el("td", null, el("span", { text: date(i.signedAt) }), el("span", { class: "sub", text: i.prescriptionId })),
          el("td", null, i.diagnoses.join("；"), el("span", { class: "sub", text: i.drugs.join("、") })),
          el("td", null, outcomeBadge(i.outcome), i.sampleClosed ? null : el("span", { class: "sub", text: "点评中" })),
          el("td", null, i.problems.length ? el("ul", { class: "problems" }, i.problems.map((p) => el("li", { text: `${p.code} ${p.label}` }))) : "—"),
          el("td", { text: i.note ?? "" }),
        ),
      ),
    );
  }

  byId("feedback-form", HTMLFormElement).addEventListener("submit", (ev) => {
    ev.preventDefault();
    void load();
  });
  byId("print", HTMLButtonElement).addEventListener("click", () => window.print());
  void load();
}

if (document.getElementById("reviews-page")) reviewsPage();
else feedbackPage();
