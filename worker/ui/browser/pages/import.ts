/** /ui/formulary/import (admins): paste or upload CSV/JSON, dry run first, then apply. */
import {
  api,
  badge,
  byId,
  clear,
  el,
  entryHref,
  type ImportOutcome,
  type ImportReport,
  label,
  networkNotice,
  problemNotice,
  replace,
  requireLogin,
  type Tone,
} from "../lib";

const text = byId("csv", HTMLTextAreaElement);
const file = byId("file", HTMLInputElement);
const sample = byId("sample", HTMLButtonElement);
const dry = byId("dry-run", HTMLButtonElement);
const apply = byId("apply", HTMLButtonElement);
const hint = byId("apply-hint", HTMLSpanElement);
const report = byId("report", HTMLDivElement);
const msg = byId("msg", HTMLDivElement);
const MAX_ROWS_SHOWN = 1000;
const SAMPLE = [
  "code,genericName,innName,pinyin,form,strengthValue,strengthUnit,packSize,packUnit,route,atc,essential,insuranceClass,storage,longRxEligible,conditions,minLevel,maxDailyDoseValue,maxDailyDoseUnit,price",
  "X-0001,示例药品,Example,,片剂,10,mg,28,片,oral,C09AA02,true,A,normal,true,I10,village,40,mg,12.50",
].join("\n");
const TONE: Record<ImportOutcome, Tone> = { created: "green", updated: "blue", unchanged: "grey", rejected: "red" };
const HEADINGS: [string, string][] = [
  ["行", "narrow"],
  ["编码", ""],
  ["结果", "narrow"],
  ["版本", "narrow"],
  ["说明", ""],
];

/** The text that was last dry-run: applying is offered only for exactly that text. */
let checked: { text: string } | null = null;

function invalidate(): void {
  if (checked && checked.text !== text.value) {
    checked = null;
    apply.disabled = true;
    hint.textContent = "内容已修改，请重新试运行。";
  }
}

function contentType(body: string): string {
  return /^\s*[[{]/.test(body) ? "application/json" : "text/csv; charset=utf-8";
}

function renderReport(r: ImportReport): void {
  const s = r.summary;
  const rejected = (row: { outcome: ImportOutcome }) => row.outcome === "rejected";
  // rejected rows first, each group in file order
  const rows = r.rows.slice().sort((a, b) => (rejected(a) === rejected(b) ? a.row - b.row : rejected(a) ? -1 : 1));
  const linkable = !r.dryRun;
  replace(
    report,
    el(
      "div",
      { class: r.dryRun ? "notice info" : "notice ok", role: "status", id: "report-title" },
      el("strong", { text: r.dryRun ? "试运行结果（未写入）" : "导入完成" }),
      r.dryRun ? "" : `：目录版本 ${r.formularyVersion}`,
      !r.dryRun && r.importId ? ["，导入批次 ", el("code", { text: r.importId })] : null,
    ),
    el(
      "div",
      { class: "summary-counts", id: "summary" },
      badge(`共 ${s.total} 行`, "neutral"),
      el("span", { class: "badge b-green", dataset: { outcome: "created" }, text: `新增 ${s.created}` }),
      el("span", { class: "badge b-blue", dataset: { outcome: "updated" }, text: `更新 ${s.updated}` }),
      el("span", { class: "badge b-grey", dataset: { outcome: "unchanged" }, text: `未变 ${s.unchanged}` }),
      el("span", { class: "badge b-red", dataset: { outcome: "rejected" }, text: `拒绝 ${s.rejected}` }),
    ),
    el(
      "table",
      { class: "grid compact", id: "report-rows" },
      el("thead", null, el("tr", null, HEADINGS.map(([h, cls]) => el("th", { class: cls || null, text: h })))),
      el(
        "tbody",
        null,
        rows.slice(0, MAX_ROWS_SHOWN).map((row) =>
          el(
            "tr",
            { dataset: { row: String(row.row), outcome: row.outcome } },
            el("td", { class: "num", text: String(row.row) }),
            el(
              "td",
              null,
              row.code
                ? linkable && row.outcome !== "rejected"
                  ? el("a", { href: entryHref(row.code), title: "查看条目与版本历史" }, el("code", { text: row.code }))
                  : el("code", { text: row.code })
                : "—",
            ),
            el("td", null, badge(label("outcome", row.outcome), TONE[row.outcome])),
            el("td", { class: "num", text: row.version ? `v${row.version}` : "" }),
            el(
              "td",
              null,
              row.issues?.length
                ? el(
                    "ul",
                    { class: "small" },
                    row.issues.map((i) => el("li", null, i.path ? el("code", { text: i.path }) : null, i.path ? "：" : "", i.message)),
                  )
                : "",
            ),
          ),
        ),
      ),
    ),
    rows.length > MAX_ROWS_SHOWN ? el("p", { class: "muted small", text: `仅显示前 ${MAX_ROWS_SHOWN} 行（被拒绝的行排在前面）。` }) : null,
  );
}

async function run(dryRun: boolean): Promise<void> {
  const body = text.value;
  if (!body.trim()) {
    replace(msg, el("div", { class: "notice warn", role: "status" }, "请粘贴或选择一个 CSV 文件。"));
    return;
  }
  dry.disabled = true;
  apply.disabled = true;
  clear(msg);
  replace(report, el("p", { class: "muted", text: dryRun ? "正在试运行…" : "正在导入…" }));
  try {
    const res = await api<ImportReport>("POST", `/formulary/imports?dryRun=${dryRun}`, { body, headers: { "content-type": contentType(body) } });
    if (!res.ok) {
      clear(report);
      replace(msg, problemNotice(res));
      checked = null;
      return;
    }
    renderReport(res.body);
    if (dryRun) {
      const s = res.body.summary;
      const applicable = s.created + s.updated;
      checked = applicable > 0 ? { text: body } : null;
      hint.textContent =
        applicable > 0 ? `确认无误后点击“导入”写入目录${s.rejected ? `；被拒绝的 ${s.rejected} 行将被跳过。` : "。"}` : "没有需要写入的行。";
    } else {
      checked = null;
      hint.textContent = "已写入。再次导入同一文件不会产生变化。";
    }
  } catch {
    clear(report);
    replace(msg, networkNotice());
  } finally {
    dry.disabled = false;
    apply.disabled = !checked;
  }
}

function start(): void {
  text.addEventListener("input", invalidate);
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    text.value = await f.text();
    invalidate();
    hint.textContent = `已读取 ${f.name}，请先试运行。`;
  });
  sample.addEventListener("click", () => {
    text.value = SAMPLE;
    invalidate();
    text.focus();
  });
  dry.addEventListener("click", () => run(true));
  apply.addEventListener("click", () => run(false));
}

if (requireLogin(msg, ["admin"])) start();
else for (const control of [text, file, sample, dry, apply]) control.disabled = true;
