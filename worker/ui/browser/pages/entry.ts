/** /ui/formulary/{code}: the entry and its version history with what changed between versions. */
import {
  api,
  badge,
  byId,
  ENTRY_FIELDS,
  type Entry,
  type EntryField,
  type EntryVersion,
  el,
  fieldLabel,
  fieldText,
  flags,
  label,
  networkNotice,
  type Page,
  problemNotice,
  qty,
  replace,
  requireLogin,
  statusBadge,
  time,
} from "../lib";

const root = byId("entry", HTMLDivElement);
const code = root.dataset.code ?? "";
const head = byId("entry-head", HTMLDivElement);
const fields = byId("entry-fields", HTMLDivElement);
const historyList = byId("history", HTMLOListElement);
const historyMore = byId("history-more", HTMLButtonElement);
const msg = byId("msg", HTMLDivElement);
const path = `/formulary/drugs/${encodeURIComponent(code)}`;

const same = (a: unknown, b: unknown) => JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);

/** Fields whose values differ between two snapshots of the entry. */
function diff(older: Partial<Entry>, newer: Partial<Entry>): EntryField[] {
  return ENTRY_FIELDS.filter((f) => !same(older[f], newer[f]));
}

function renderEntry(e: Entry): void {
  replace(
    head,
    el("h1", { id: "entry-name" }, e.genericName, " ", el("small", { class: "muted", text: `${e.form} ${qty(e.strength)}` })),
    statusBadge(e.status),
    flags(e),
  );
  replace(
    fields,
    el(
      "dl",
      { class: "fields" },
      ENTRY_FIELDS.flatMap((f) => [el("dt", { text: fieldLabel(f) }), el("dd", { dataset: { field: f }, text: fieldText(f, e) })]),
      el("dt", { text: fieldLabel("version") }),
      el("dd", { text: `v${e.version}` }),
      el("dt", { text: fieldLabel("updatedAt") }),
      el("dd", { text: time(e.updatedAt) }),
    ),
  );
  document.title = `${e.genericName} · 药品目录 · 药联 YaoLian`;
}

let versions: EntryVersion[] = [];
let cursor: string | null = null;

/** What changed from the version before (when it is loaded). */
function changesFrom(v: EntryVersion, older: EntryVersion | undefined): HTMLElement {
  if (!older) return el("p", { class: "muted small", text: cursor ? "更早的版本尚未加载。" : "初始版本。" });
  const changes = diff(older.entry, v.entry);
  if (changes.length === 0) return el("p", { class: "muted small", text: "内容与上一版本相同。" });
  return el(
    "table",
    { class: "grid compact diff" },
    el("thead", null, el("tr", null, el("th", { text: "字段" }), el("th", { text: `v${older.version}` }), el("th", { text: `v${v.version}` }))),
    el(
      "tbody",
      null,
      changes.map((f) =>
        el(
          "tr",
          { dataset: { field: f } },
          el("td", { text: fieldLabel(f) }),
          el("td", null, el("del", { class: "old", text: fieldText(f, older.entry) })),
          el("td", null, el("ins", { class: "new", text: fieldText(f, v.entry) })),
        ),
      ),
    ),
  );
}

function renderHistory(): void {
  replace(
    historyList,
    versions.map((v, i) =>
      el(
        "li",
        { dataset: { version: String(v.version) } },
        el(
          "div",
          { class: "meta" },
          el("strong", { text: `v${v.version}` }),
          badge(label("change", v.change), v.change === "create" ? "green" : v.change === "status" ? "amber" : "blue"),
          statusBadge(v.status),
          el("span", { class: "muted small", text: `目录版本 ${v.formularyVersion} · 生效 ${v.effectiveFrom} · ${time(v.changedAt)} · ${v.changedBy}` }),
          v.importId ? el("span", { class: "muted small" }, "导入批次 ", el("code", { text: v.importId })) : null,
        ),
        changesFrom(v, versions[i + 1]),
      ),
    ),
  );
  historyMore.hidden = !cursor;
}

async function loadHistory(): Promise<void> {
  historyMore.disabled = true;
  try {
    const res = await api<Page<EntryVersion>>("GET", `${path}/history?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    versions = versions.concat(res.body.items);
    cursor = res.body.nextCursor;
    renderHistory();
  } catch {
    replace(msg, networkNotice());
  } finally {
    historyMore.disabled = false;
  }
}

async function load(): Promise<void> {
  try {
    const res = await api<Entry>("GET", path);
    if (res.status === 404) {
      replace(msg, el("div", { class: "notice warn", role: "status" }, "目录中没有编码为 ", el("code", { text: code }), " 的药品。"));
      return;
    }
    if (!res.ok) {
      replace(msg, problemNotice(res));
      return;
    }
    renderEntry(res.body);
    await loadHistory();
    root.dataset.state = "ready";
  } catch {
    replace(msg, networkNotice());
  }
}

if (requireLogin(msg)) {
  historyMore.addEventListener("click", loadHistory);
  load();
}
