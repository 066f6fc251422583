/** /ui/login: pick a demo user, get a dev token (development only; see worker/http/dev-login.ts). */
export const LOGIN_JS = String.raw`
(() => {
  "use strict";
  const { el, replace, api } = YL;
  const msg = document.getElementById("msg");
  const current = document.getElementById("current");
  const DEFAULT_PAGE = { doctor: "/ui/prescribe", admin: "/ui/formulary", pharmacist: "/ui/formulary" };

  /** Only a page of this site: never an absolute or protocol-relative URL (no open redirect). */
  function nextPage(role) {
    const next = new URLSearchParams(location.search).get("next") || "";
    return /^\/ui\/(?!\/)/.test(next) && !next.includes("\\") ? next : DEFAULT_PAGE[role] || "/ui/formulary";
  }

  function showCurrent() {
    if (!current) return;
    const p = YL.principal();
    current.hidden = !p;
    if (!p) return;
    replace(
      current,
      "当前登录：",
      el("strong", { id: "current-user", text: p.name || p.sub }),
      "（" + YL.label("role", p.role) + " · " + p.sub + " · " + p.org + "） ",
      el("a", { href: nextPage(p.role), text: "继续" }),
      " ",
      el("button", { type: "button", class: "link", onclick: () => { YL.signOut(); YL.renderWho(); showCurrent(); } }, "退出"),
    );
  }

  for (const button of document.querySelectorAll("button[data-sub]")) {
    button.addEventListener("click", async () => {
      const { role, sub, org } = button.dataset;
      for (const b of document.querySelectorAll("button[data-sub]")) b.disabled = true;
      replace(msg, el("div", { class: "notice info", role: "status" }, "正在登录…"));
      try {
        const res = await api("POST", "/dev/token", { json: { role, sub, org } });
        if (!res.ok) { replace(msg, YL.problemNotice(res)); return; }
        YL.signIn(res.body.token);
        location.href = nextPage(role);
      } catch {
        replace(msg, YL.networkNotice());
      } finally {
        for (const b of document.querySelectorAll("button[data-sub]")) b.disabled = false;
      }
    });
  }
  showCurrent();
})();
`;
