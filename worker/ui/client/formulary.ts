/** /ui/formulary: search as you type (debounced), status filter, "more" with the cursor. */
// biome-ignore lint/complexity/noUselessStringRaw: raw keeps any backslash escape in the browser code as written
export const FORMULARY_JS = String.raw`
(() => {
  "use strict";
  const { el, replace, clear, api } = YL;
  const root = document.getElementById("formulary");
  const q = document.getElementById("q");
  const status = document.getElementById("status");
  const tbody = document.querySelector("#results tbody");
  const table = document.getElementById("results");
  const more = document.getElementById("more");
  const summary = document.getElementById("summary");
  const msg = document.getElementById("msg");
  const PAGE = 20;

  if (!YL.requireLogin(msg)) { q.disabled = true; status.disabled = true; return; }

  const initial = new URLSearchParams(location.search);
  q.value = initial.get("q") || "";
  status.value = initial.get("status") || "";

  let seq = 0;
  let cursor = null;
  let shown = 0;
  let controller = null;

  function row(e) {
    const href = YL.entryHref(e.code);
    return el(
      "tr",
      { class: "clickable", dataset: { code: e.code }, onclick: (ev) => { if (!ev.target.closest("a")) location.href = href; } },
      el("td", null, el("a", { href, text: e.genericName }), e.innName ? el("span", { class: "sub", text: e.innName }) : null),
      el("td", { text: e.form }),
      el("td", { class: "num", text: YL.qty(e.strength) }),
      el("td", { class: "num", text: YL.pack(e.pack) }),
      el("td", null, el("code", { text: e.code }), el("span", { class: "sub", text: e.pinyin })),
      el("td", null, YL.flags(e)),
      el("td", null, YL.statusBadge(e.status)),
    );
  }

  async function load(reset) {
    const mine = ++seq;
    if (controller) controller.abort();
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
    let res;
    try {
      res = await api("GET", "/formulary/drugs?" + params.toString(), { signal: controller.signal });
    } catch (err) {
      if (err && err.name === "AbortError") return;
      replace(msg, YL.networkNotice());
      return;
    } finally {
      if (mine === seq) { root.removeAttribute("aria-busy"); more.disabled = false; }
    }
    if (mine !== seq) return;
    if (!res.ok) { replace(msg, YL.problemNotice(res)); return; }
    clear(msg);
    if (reset) { clear(tbody); shown = 0; }
    for (const e of res.body.items) tbody.appendChild(row(e));
    shown += res.body.items.length;
    cursor = res.body.nextCursor;
    more.hidden = !cursor;
    table.hidden = shown === 0;
    summary.textContent = shown === 0 ? "没有找到匹配的药品。" : "已显示 " + shown + " 条" + (cursor ? "，还有更多" : "，已全部显示") + "。";
    root.dataset.state = "ready";
    if (reset) history.replaceState(null, "", "/ui/formulary" + (shareable ? "?" + shareable : ""));
  }

  const search = YL.debounce(() => load(true), 250);
  q.addEventListener("input", search);
  q.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); load(true); } });
  status.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
  q.focus();
})();
`;
