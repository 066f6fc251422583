/** /ui/formulary: search as you type (debounced), status filter, "more" with the cursor. */
import {
  type ApiResult,
  api,
  byId,
  clear,
  debounce,
  type Entry,
  el,
  entryHref,
  flags,
  networkNotice,
  type Page,
  pack,
  problemNotice,
  qty,
  query,
  replace,
  requireLogin,
  statusBadge,
} from "../lib";

const root = byId("formulary", HTMLDivElement);
const q = byId("q", HTMLInputElement);
const status = byId("status", HTMLSelectElement);
const table = byId("results", HTMLTableElement);
const tbody = query("tbody", HTMLTableSectionElement, table);
const more = byId("more", HTMLButtonElement);
const summary = byId("summary", HTMLParagraphElement);
const msg = byId("msg", HTMLDivElement);
const PAGE = 20;

let seq = 0;
let cursor: string | null = null;
let shown = 0;
let controller: AbortController | null = null;

function row(e: Entry): HTMLTableRowElement {
  const href = entryHref(e.code);
  return el(
    "tr",
    {
      class: "clickable",
      dataset: { code: e.code },
      onclick: (ev) => {
        if (!(ev.target instanceof Element && ev.target.closest("a"))) location.href = href;
      },
    },
    el("td", null, el("a", { href, text: e.genericName }), e.innName ? el("span", { class: "sub", text: e.innName }) : null),
    el("td", { text: e.form }),
    el("td", { class: "num", text: qty(e.strength) }),
    el("td", { class: "num", text: pack(e.pack) }),
    el("td", null, el("code", { text: e.code }), el("span", { class: "sub", text: e.pinyin })),
    el("td", null, flags(e)),
    el("td", null, statusBadge(e.status)),
  );
}

async function load(reset: boolean): Promise<void> {
  const mine = ++seq;
  controller?.abort();
  controller = new AbortController();
  const params = new URLSearchParams();
  const text = q.value.trim();
  if (text) params.set("q", text);
  if (status.value) params.set("status", status.value);
  const shareable = params.toString();
  params.set("limit", String(PAGE));
  if (!reset && cursor) params.set("cursor", cursor);
  root.setAttribute("aria-busy", "true");
  more.disabled = true;
  let res: ApiResult<Page<Entry>>;
  try {
    res = await api<Page<Entry>>("GET", `/formulary/drugs?${params.toString()}`, { signal: controller.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") return;
    replace(msg, networkNotice());
    return;
  } finally {
    if (mine === seq) {
      root.removeAttribute("aria-busy");
      more.disabled = false;
    }
  }
  if (mine !== seq) return;
  if (!res.ok) {
    replace(msg, problemNotice(res));
    return;
  }
  clear(msg);
  if (reset) {
    clear(tbody);
    shown = 0;
  }
  for (const e of res.body.items) tbody.appendChild(row(e));
  shown += res.body.items.length;
  cursor = res.body.nextCursor;
  more.hidden = !cursor;
  table.hidden = shown === 0;
  summary.textContent = shown === 0 ? "没有找到匹配的药品。" : `已显示 ${shown} 条${cursor ? "，还有更多" : "，已全部显示"}。`;
  root.dataset.state = "ready";
  if (reset) history.replaceState(null, "", `/ui/formulary${shareable ? `?${shareable}` : ""}`);
}

function start(): void {
  const initial = new URLSearchParams(location.search);
  q.value = initial.get("q") || "";
  status.value = initial.get("status") || "";
  const search = debounce(() => load(true), 250);
  q.addEventListener("input", search);
  q.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      load(true);
    }
  });
  status.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
  q.focus();
}

if (requireLogin(msg)) start();
else {
  q.disabled = true;
  status.disabled = true;
}
