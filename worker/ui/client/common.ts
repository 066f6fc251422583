/**
 * Browser code shared by every page (/ui/assets/app.js), plain JavaScript without a build
 * step. It lives in a string because the worker serves it as is; keep it free of
 * backticks and template placeholders. Data only ever reaches the DOM through
 * textContent, attribute setters or form values, never through innerHTML.
 */
export const COMMON_JS = String.raw`
(() => {
  "use strict";
  const DATA = window.YL_DATA;
  const TOKEN_KEY = "yaolian.token";
  const YL = (window.YL = { labels: DATA.labels, dosesPerDay: DATA.dosesPerDay });

  YL.label = (group, value) => {
    const g = DATA.labels[group];
    return g && Object.prototype.hasOwnProperty.call(g, value) ? g[value] : String(value);
  };

  // ---- DOM building (text only) ----
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { for (const c of child) append(node, c); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  const SAFE_HREF = /^\/(?!\/)/;
  YL.el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = String(v);
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
      else if (k === "value") node.value = String(v);
      else if (k === "checked" || k === "disabled" || k === "selected" || k === "hidden") node[k] = Boolean(v);
      else if (k === "href") { if (SAFE_HREF.test(String(v))) node.setAttribute("href", String(v)); }
      else if (k.startsWith("on")) continue;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    append(node, children);
    return node;
  };
  YL.clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); return node; };
  YL.replace = (node, ...children) => { YL.clear(node); append(node, children); return node; };
  YL.debounce = (fn, ms) => {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  };
  YL.uuid = () => {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  };
  YL.entryHref = (code) => "/ui/formulary/" + encodeURIComponent(code);

  // ---- session: the bearer token lives in this tab's sessionStorage only ----
  YL.token = () => sessionStorage.getItem(TOKEN_KEY);
  YL.signIn = (token) => sessionStorage.setItem(TOKEN_KEY, token);
  YL.signOut = () => sessionStorage.removeItem(TOKEN_KEY);
  /** The token's claims (for display; the server verifies the token on every call). */
  YL.principal = () => {
    const token = YL.token();
    if (!token) return null;
    try {
      let b64 = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      while (b64.length % 4) b64 += "=";
      const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))));
      if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) { YL.signOut(); return null; }
      return { sub: String(claims.sub || ""), role: String(claims.role || ""), org: String(claims.org || ""), name: String(claims.name || "") };
    } catch {
      YL.signOut();
      return null;
    }
  };
  YL.loginHref = () => "/ui/login?next=" + encodeURIComponent(location.pathname + location.search);

  YL.renderWho = () => {
    const slot = document.getElementById("who");
    const p = YL.principal();
    document.body.dataset.role = p ? p.role : "";
    for (const a of document.querySelectorAll("nav [data-role]")) a.hidden = !p || a.dataset.role !== p.role;
    if (!slot) return;
    if (!p) { YL.replace(slot, YL.el("a", { href: YL.loginHref(), text: "登录" })); return; }
    YL.replace(
      slot,
      YL.el("span", { id: "who-name", title: p.sub }, (p.name || p.sub) + "（" + YL.label("role", p.role) + " · " + p.org + "）"),
      YL.el("button", { type: "button", id: "logout", onclick: () => { YL.signOut(); location.href = "/ui/login"; } }, "退出"),
    );
  };

  /** A notice asking to sign in (or for another role); returns the principal when the page may proceed. */
  YL.requireLogin = (container, roles) => {
    const p = YL.principal();
    if (!p) {
      YL.replace(container, YL.el("div", { class: "notice info", role: "status" }, "请先登录。", " ", YL.el("a", { href: YL.loginHref(), text: "前往登录" })));
      return null;
    }
    if (roles && !roles.includes(p.role)) {
      YL.replace(container, YL.el("div", { class: "notice warn", role: "status" }, "此页面仅限" + roles.map((r) => YL.label("role", r)).join("、") + "使用；当前登录为" + YL.label("role", p.role) + "。"));
      return null;
    }
    return p;
  };

  // ---- API ----
  YL.api = async (method, path, opts = {}) => {
    const headers = new Headers(opts.headers || {});
    const token = YL.token();
    if (token) headers.set("authorization", "Bearer " + token);
    let body;
    if (opts.json !== undefined) { body = JSON.stringify(opts.json); headers.set("content-type", "application/json"); }
    else if (opts.body !== undefined) body = opts.body;
    const res = await fetch("/api/v1" + path, { method, headers, body, signal: opts.signal });
    const text = await res.text();
    let data = text;
    if ((res.headers.get("content-type") || "").includes("json") && text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }
    if (res.status === 401) { YL.signOut(); YL.renderWho(); }
    return { status: res.status, ok: res.ok, body: data, headers: res.headers };
  };
  const STATUS_TEXT = { 400: "请求有误", 401: "登录已失效，请重新登录", 403: "没有权限", 404: "未找到", 409: "与当前状态冲突", 412: "内容已被他人修改", 413: "内容过大", 415: "格式不支持", 422: "无法处理", 500: "服务器错误" };
  /** A problem+json answer as an error notice (title, detail, issues, request id). */
  YL.problemNotice = (res) => {
    const b = res && typeof res.body === "object" && res.body ? res.body : {};
    const issues = Array.isArray(b.issues) ? b.issues : [];
    return YL.el(
      "div",
      { class: "notice err", role: "alert" },
      YL.el("strong", { text: (STATUS_TEXT[res.status] || "请求失败") + "（" + res.status + "）" }),
      b.detail ? " " + b.detail : "",
      res.status === 401 ? [" ", YL.el("a", { href: YL.loginHref(), text: "前往登录" })] : null,
      issues.length ? YL.el("ul", null, issues.map((i) => YL.el("li", null, i.path ? YL.el("code", { text: i.path }) : null, i.path ? "：" : "", i.message))) : null,
      b.requestId ? YL.el("div", { class: "small muted" }, "请求编号 " + b.requestId) : null,
    );
  };
  YL.networkNotice = () => YL.el("div", { class: "notice err", role: "alert" }, "网络错误：无法连接服务器，请稍后重试。");

  // ---- formulary display ----
  const trimNum = (n) => (typeof n === "number" ? String(Number(n.toPrecision(12))) : String(n));
  YL.qty = (q) => (q ? trimNum(q.value) + " " + q.unit : "—");
  YL.pack = (p) => (p ? trimNum(p.size) + " " + p.unit : "—");
  YL.badge = (text, tone) => YL.el("span", { class: "badge b-" + (tone || "neutral") }, text);
  YL.statusBadge = (s) => YL.badge(YL.label("status", s), s === "active" ? "green" : s === "suspended" ? "amber" : "red");
  YL.flags = (e) => [
    e.essential ? YL.badge("基药", "green") : null,
    e.longRxEligible ? YL.badge("长处方", "blue") : null,
    e.storage === "cold_chain" ? YL.badge("冷链", "cyan") : e.storage === "special" ? YL.badge("特殊储存", "cyan") : null,
    e.controlClass ? YL.badge(YL.label("controlClass", e.controlClass), "red") : null,
    e.antimicrobial ? YL.badge(YL.label("antimicrobial", e.antimicrobial), "amber") : null,
    e.antiTb ? YL.badge("抗结核", "amber") : null,
    e.vbp ? YL.badge("集采", "purple") : null,
    e.insuranceClass ? YL.badge(YL.label("insuranceClass", e.insuranceClass), "grey") : null,
    e.specialistOnly ? YL.badge("△ 专科指导", "grey") : null,
    e.freeProgramme ? YL.badge("免费", "green") : null,
  ].filter(Boolean);
  YL.ENTRY_FIELDS = [
    "code", "genericName", "innName", "pinyin", "form", "strength", "pack", "route", "atc", "nhsaCode", "nemlCategory",
    "essential", "insuranceClass", "vbp", "specialistOnly", "controlClass", "antimicrobial", "antiTb", "storage",
    "longRxEligible", "conditions", "minLevel", "maxDailyDose", "price", "freeProgramme", "status", "effectiveFrom",
  ];
  const LABELLED = { route: "route", controlClass: "controlClass", antimicrobial: "antimicrobial", storage: "storage", minLevel: "minLevel", insuranceClass: "insuranceClass", status: "status" };
  /** One entry field as display text. */
  YL.fieldText = (field, v) => {
    if (v === null || v === undefined || v === "") return "—";
    if (typeof v === "boolean") return v ? "是" : "否";
    if (field === "strength" || field === "maxDailyDose") return YL.qty(v);
    if (field === "pack") return YL.pack(v);
    if (field === "conditions") return v.length ? v.join("、") : "—";
    if (field === "price") return "¥" + Number(v).toFixed(2);
    if (LABELLED[field]) return YL.label(LABELLED[field], v) + (YL.label(LABELLED[field], v) === String(v) ? "" : "（" + v + "）");
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  YL.fieldLabel = (field) => YL.label("field", field);
  YL.time = (iso) => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const p = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  };

  YL.renderWho();
})();
`;
