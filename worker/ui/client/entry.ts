/** /ui/formulary/{code}: the entry and its version history with what changed between versions. */
// biome-ignore lint/complexity/noUselessStringRaw: raw keeps any backslash escape in the browser code as written
export const ENTRY_JS = String.raw`
(() => {
  "use strict";
  const { el, replace, api } = YL;
  const root = document.getElementById("entry");
  const code = root.dataset.code;
  const head = document.getElementById("entry-head");
  const fields = document.getElementById("entry-fields");
  const historyList = document.getElementById("history");
  const historyMore = document.getElementById("history-more");
  const msg = document.getElementById("msg");
  const path = "/formulary/drugs/" + encodeURIComponent(code);

  if (!YL.requireLogin(msg)) return;

  const same = (a, b) => JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  /** Fields whose values differ between two snapshots of the entry. */
  function diff(older, newer) {
    return YL.ENTRY_FIELDS.filter((f) => !same(older[f], newer[f])).map((f) => ({ field: f, before: older[f], after: newer[f] }));
  }

  function renderEntry(e) {
    replace(
      head,
      el("h1", { id: "entry-name" }, e.genericName, " ", el("small", { class: "muted", text: e.form + " " + YL.qty(e.strength) })),
      YL.statusBadge(e.status),
      YL.flags(e),
    );
    replace(
      fields,
      el("dl", { class: "fields" }, YL.ENTRY_FIELDS.flatMap((f) => [el("dt", { text: YL.fieldLabel(f) }), el("dd", { dataset: { field: f }, text: YL.fieldText(f, e[f]) })]),
        el("dt", { text: YL.fieldLabel("version") }), el("dd", { text: "v" + e.version }),
        el("dt", { text: YL.fieldLabel("updatedAt") }), el("dd", { text: YL.time(e.updatedAt) })),
    );
    document.title = e.genericName + " · 药品目录 · 药联 YaoLian";
  }

  let versions = [];
  let cursor = null;

  function renderHistory() {
    replace(
      historyList,
      versions.map((v, i) => {
        const older = versions[i + 1];
        const changes = older ? diff(older.entry, v.entry) : null;
        return el(
          "li",
          { dataset: { version: String(v.version) } },
          el(
            "div",
            { class: "meta" },
            el("strong", { text: "v" + v.version }),
            YL.badge(YL.label("change", v.change), v.change === "create" ? "green" : v.change === "status" ? "amber" : "blue"),
            YL.statusBadge(v.status),
            el("span", { class: "muted small", text: "目录版本 " + v.formularyVersion + " · 生效 " + v.effectiveFrom + " · " + YL.time(v.changedAt) + " · " + v.changedBy }),
            v.importId ? el("span", { class: "muted small" }, "导入批次 ", el("code", { text: v.importId })) : null,
          ),
          changes === null
            ? el("p", { class: "muted small", text: cursor ? "更早的版本尚未加载。" : "初始版本。" })
            : changes.length === 0
              ? el("p", { class: "muted small", text: "内容与上一版本相同。" })
              : el(
                  "table",
                  { class: "grid compact diff" },
                  el("thead", null, el("tr", null, el("th", { text: "字段" }), el("th", { text: "v" + older.version }), el("th", { text: "v" + v.version }))),
                  el("tbody", null, changes.map((c) =>
                    el("tr", { dataset: { field: c.field } },
                      el("td", { text: YL.fieldLabel(c.field) }),
                      el("td", null, el("del", { class: "old", text: YL.fieldText(c.field, c.before) })),
                      el("td", null, el("ins", { class: "new", text: YL.fieldText(c.field, c.after) })),
                    ))),
                ),
        );
      }),
    );
    historyMore.hidden = !cursor;
  }

  async function loadHistory() {
    historyMore.disabled = true;
    try {
      const res = await api("GET", path + "/history?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""));
      if (!res.ok) { replace(msg, YL.problemNotice(res)); return; }
      versions = versions.concat(res.body.items);
      cursor = res.body.nextCursor;
      renderHistory();
    } catch {
      replace(msg, YL.networkNotice());
    } finally {
      historyMore.disabled = false;
    }
  }

  async function load() {
    try {
      const res = await api("GET", path);
      if (res.status === 404) {
        replace(msg, el("div", { class: "notice warn", role: "status" }, "目录中没有编码为 ", el("code", { text: code }), " 的药品。"));
        return;
      }
      if (!res.ok) { replace(msg, YL.problemNotice(res)); return; }
      renderEntry(res.body);
      await loadHistory();
      root.dataset.state = "ready";
    } catch {
      replace(msg, YL.networkNotice());
    }
  }

  historyMore.addEventListener("click", loadHistory);
  load();
})();
`;
