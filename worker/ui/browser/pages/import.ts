/**
 * /ui/formulary/import (admins): paste or upload CSV/JSON, dry run first, then apply.
 * Files over CHUNK_ROWS rows go through the chunked job API instead (formulary/import-jobs):
 * split here, sent chunk by chunk (a failed chunk is retried, then offered to resume),
 * validated and staged by the server; the admin reads the report and presses 发布.
 */
import { parseCsv } from "../../../lib/csv";
import {
  type ApiResult,
  api,
  badge,
  byId,
  clear,
  el,
  type Child,
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
const jobBox = byId("job", HTMLElement);
const progress = byId("job-progress", HTMLProgressElement);
const jobStatus = byId("job-status", HTMLParagraphElement);
const publishButton = byId("publish", HTMLButtonElement);
const resumeButton = byId("resume", HTMLButtonElement);
const abortButton = byId("abort-job", HTMLButtonElement);
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

/** Rows per chunk (the server takes up to 2,000 and 1 MiB); smaller files take the one-shot route. */
const CHUNK_ROWS = 1000;
const CHUNK_ATTEMPTS = 3;
const REJECTED_PAGES = 10;

/** A big file, split into chunks as the job API takes them (CSV chunks repeat the header line). */
interface Split {
  name: string;
  format: "csv" | "json";
  rows: number;
  chunks: string[];
}

interface JobView {
  id: string;
  status: "open" | "publishing" | "published" | "aborted" | "expired";
  expectedChunks: number;
  chunksReceived: number;
  missingChunks: number[];
  rowsStaged: number;
  summary: ImportReport["summary"];
  publish: { targetVersion: number | null; rowsPublished: number; rowsToPublish: number; created: number; updated: number; unchanged: number };
}

/** An issue's field: its Chinese name and the path as the file has it ("规格 strength.value："). */
function issuePath(path: string): Child[] {
  if (!path) return [];
  const head = path.split(".")[0] ?? path;
  const name = label("field", head);
  return [name === head ? null : `${name} `, el("code", { text: path }), "："];
}

/** The job of the file being imported, and its chunks (to resume). */
let current: { job: JobView; split: Split } | null = null;
/** A file read from disk: kept here rather than in the textarea (tens of MB would freeze it). */
let loaded: { name: string; body: string } | null = null;

const count = (n: number) => n.toLocaleString("zh-CN");

function csvLine(cells: string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
}

/** The file in chunks, or null when it is small (or unreadable: the one-shot route then reports why). */
function split(name: string, body: string): Split | null {
  if (/^\s*[[{]/.test(body)) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return null;
    }
    const rows = Array.isArray(data) ? data : (data as { entries?: unknown } | null)?.entries;
    if (!Array.isArray(rows) || rows.length <= CHUNK_ROWS) return null;
    const chunks: string[] = [];
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) chunks.push(JSON.stringify(rows.slice(i, i + CHUNK_ROWS)));
    return { name, format: "json", rows: rows.length, chunks };
  }
  let records: string[][];
  try {
    records = parseCsv(body);
  } catch {
    return null;
  }
  const [header, ...rest] = records;
  const rows = rest.filter((cells) => cells.some((c) => c.trim() !== ""));
  if (!header || rows.length <= CHUNK_ROWS) return null;
  const head = csvLine(header);
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) chunks.push([head, ...rows.slice(i, i + CHUNK_ROWS).map(csvLine)].join("\n"));
  return { name, format: "csv", rows: rows.length, chunks };
}

function showJob(job: JobView, note: string): void {
  jobBox.hidden = false;
  const publishing = job.status === "publishing" || job.status === "published";
  progress.max = publishing ? Math.max(1, job.publish.rowsToPublish) : job.expectedChunks;
  progress.value = publishing ? job.publish.rowsPublished : job.chunksReceived;
  const uploaded = `已上传 ${count(job.chunksReceived)}/${count(job.expectedChunks)} 块 · 已校验 ${count(job.rowsStaged)} 行`;
  const published = publishing ? ` · 已发布 ${count(job.publish.rowsPublished)}/${count(job.publish.rowsToPublish)} 行` : "";
  jobStatus.textContent = `${uploaded}${published}${note ? ` · ${note}` : ""}`;
  // only an open job can be given up: once publishing starts it is finished (by the cron if need be)
  abortButton.hidden = job.status !== "open";
  current = current ? { ...current, job } : null;
}

type RowsPage = { items: ImportReport["rows"]; nextCursor: string | null };

/** The rejected rows (up to 1,000) and the counts, in the one-shot route's report layout. */
async function showJobReport(job: JobView, published: boolean): Promise<void> {
  const rows: ImportReport["rows"] = [];
  let cursor: string | null = null;
  for (let page = 0; page < REJECTED_PAGES && job.summary.rejected > 0; page++) {
    const res: ApiResult<RowsPage> = await api<RowsPage>("GET", `/formulary/import-jobs/${job.id}/rows?outcome=rejected&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!res.ok) break;
    rows.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  const summary = published
    ? { total: job.summary.total, created: job.publish.created, updated: job.publish.updated, unchanged: job.publish.unchanged, rejected: job.summary.rejected }
    : job.summary;
  renderReport({ importId: published ? job.id : null, dryRun: !published, formularyVersion: job.publish.targetVersion ?? 0, summary, rows });
  report.append(el("p", { class: "muted small", id: "report-note", text: job.summary.rejected ? "分块导入只列出被拒绝的行；其余各行的结果见上方计数。" : "没有被拒绝的行。" }));
}

/** Sends the given chunks one after the other; a failed one is retried, then offered to resume. */
async function upload(seqs: number[]): Promise<void> {
  if (!current) return;
  const { split: file } = current;
  resumeButton.hidden = true;
  publishButton.disabled = true;
  for (const seq of seqs) {
    const body = file.chunks[seq - 1] ?? "";
    for (let attempt = 1; ; attempt++) {
      let failure: string | null = null;
      try {
        const res = await api<{ job: JobView }>("PUT", `/formulary/import-jobs/${current.job.id}/chunks/${seq}`, {
          body,
          headers: { "content-type": file.format === "csv" ? "text/csv; charset=utf-8" : "application/json" },
        });
        if (res.ok) {
          showJob(res.body.job, "");
          break;
        }
        // refused (the job expired, another body for this chunk…): retrying cannot help
        if (res.status < 500) {
          replace(msg, problemNotice(res));
          showJob(current.job, `第 ${seq} 块被拒绝`);
          return;
        }
        failure = `服务器错误 ${res.status}`;
      } catch {
        failure = "网络错误";
      }
      if (attempt >= CHUNK_ATTEMPTS) {
        showJob(current.job, `第 ${seq} 块上传失败（${failure}），可点击“继续上传”`);
        resumeButton.hidden = false;
        return;
      }
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  const job = current.job;
  const applicable = job.summary.created + job.summary.updated;
  showJob(job, applicable > 0 ? "校验完成，确认后点击“发布”" : "校验完成，没有需要写入的行");
  publishButton.disabled = applicable === 0;
  hint.textContent = applicable > 0 ? `确认无误后点击“发布”${job.summary.rejected ? `；被拒绝的 ${count(job.summary.rejected)} 行将被跳过。` : "。"}` : "没有需要写入的行。";
  await showJobReport(job, false);
}

async function startJob(file: Split): Promise<void> {
  clear(msg);
  clear(report);
  const res = await api<JobView>("POST", "/formulary/import-jobs", {
    json: { fileName: file.name, format: file.format, expectedChunks: file.chunks.length, expectedRows: file.rows, chunkRows: CHUNK_ROWS },
  });
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  current = { job: res.body, split: file };
  showJob(res.body, "");
  await upload(res.body.missingChunks);
}

/** Resumes from what the server has: only the missing chunks are sent again. */
async function resume(): Promise<void> {
  if (!current) return;
  try {
    const res = await api<JobView>("GET", `/formulary/import-jobs/${current.job.id}`);
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    showJob(res.body, "");
    await upload(res.body.missingChunks);
  } catch {
    replace(msg, networkNotice());
  }
}

/** Publishes in bounded calls (202: call again) until the switch; readers see the new list at once. */
async function publishJob(): Promise<void> {
  if (!current) return;
  publishButton.disabled = true;
  abortButton.disabled = true;
  try {
    for (;;) {
      const res = await api<JobView>("POST", `/formulary/import-jobs/${current.job.id}/publish`);
      if (!res.ok) {
        replace(msg, problemNotice(res));
        publishButton.disabled = false;
        return;
      }
      showJob(res.body, res.status === 200 ? `发布完成：目录版本 ${res.body.publish.targetVersion ?? "未变"}` : "正在发布…");
      if (res.status === 200) {
        hint.textContent = "已发布。再次导入同一文件不会产生变化。";
        await showJobReport(res.body, true);
        return;
      }
    }
  } catch {
    replace(msg, networkNotice());
    // publishing resumes where it stopped
    publishButton.disabled = false;
  } finally {
    abortButton.disabled = false;
  }
}

async function abortJob(): Promise<void> {
  if (!current) return;
  const res = await api<JobView>("POST", `/formulary/import-jobs/${current.job.id}/abort`);
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  showJob(res.body, "已放弃，目录未改变");
  publishButton.disabled = true;
  resumeButton.hidden = true;
  current = null;
}

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
                    row.issues.map((i) => el("li", null, ...issuePath(i.path), i.message)),
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
  const body = loaded?.body ?? text.value;
  const big = dryRun ? split(loaded?.name ?? "粘贴内容", body) : null;
  if (big) {
    dry.disabled = true;
    apply.disabled = true;
    try {
      await startJob(big);
    } catch {
      replace(msg, networkNotice());
    } finally {
      dry.disabled = false;
    }
    return;
  }
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
  text.addEventListener("input", () => {
    loaded = null;
    invalidate();
  });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    const body = await f.text();
    // a big file stays out of the textarea: it is split and sent in chunks
    loaded = body.length > 256 * 1024 ? { name: f.name, body } : null;
    text.value = loaded ? "" : body;
    text.placeholder = loaded ? `已读取 ${f.name}（${count(Math.round(body.length / 1024))} KB），点击“试运行”分块上传校验。` : text.placeholder;
    invalidate();
    hint.textContent = `已读取 ${f.name}，请先试运行。`;
  });
  sample.addEventListener("click", () => {
    text.value = SAMPLE;
    invalidate();
    text.focus();
  });
  dry.addEventListener("click", () => run(true));
  publishButton.addEventListener("click", publishJob);
  resumeButton.addEventListener("click", resume);
  abortButton.addEventListener("click", abortJob);
  apply.addEventListener("click", () => run(false));
}

if (requireLogin(msg, ["admin"])) start();
else for (const control of [text, file, sample, dry, apply]) control.disabled = true;
