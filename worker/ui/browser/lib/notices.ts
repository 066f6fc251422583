/** Notices above a page's content: sign-in needed, API problems, network errors. */
import { type Child, el, replace } from "./dom";
import { label } from "./format";
import { loginHref, type Principal, principal, type Role } from "./session";
import type { ProblemBody } from "./types";

export type NoticeTone = "info" | "ok" | "warn" | "err";

/** A notice box; errors are announced as alerts, the rest as status. */
export function notice(tone: NoticeTone, ...children: Child[]): HTMLDivElement {
  return el("div", { class: `notice ${tone}`, role: tone === "err" ? "alert" : "status" }, ...children);
}

/**
 * Shows a notice in `container` asking to sign in (or naming the roles the page is for) and
 * returns null; returns the principal when the page may proceed.
 */
export function requireLogin(container: HTMLElement, roles?: readonly Role[]): Principal | null {
  const p = principal();
  if (!p) {
    replace(container, notice("info", "请先登录。", " ", el("a", { href: loginHref(), text: "前往登录" })));
    return null;
  }
  if (roles && !roles.some((r) => r === p.role)) {
    replace(container, notice("warn", `此页面仅限${roles.map((r) => label("role", r)).join("、")}使用；当前登录为${label("role", p.role)}。`));
    return null;
  }
  return p;
}

const STATUS_TEXT: Record<number, string> = {
  400: "请求有误",
  401: "登录已失效，请重新登录",
  403: "没有权限",
  404: "未找到",
  409: "与当前状态冲突",
  412: "内容已被他人修改",
  413: "内容过大",
  415: "格式不支持",
  422: "无法处理",
  500: "服务器错误",
};

/** An API answer as an error notice: status, detail, the issues with their paths, the request id. */
export function problemNotice(res: { status: number; body: unknown }): HTMLDivElement {
  const b = (typeof res.body === "object" && res.body !== null ? res.body : {}) as ProblemBody;
  const issues = Array.isArray(b.issues) ? b.issues : [];
  return notice(
    "err",
    el("strong", { text: `${STATUS_TEXT[res.status] ?? "请求失败"}（${res.status}）` }),
    b.detail ? ` ${b.detail}` : "",
    res.status === 401 ? [" ", el("a", { href: loginHref(), text: "前往登录" })] : null,
    issues.length ? el("ul", null, issues.map((i) => el("li", null, i.path ? el("code", { text: i.path }) : null, i.path ? "：" : "", i.message))) : null,
    b.requestId ? el("div", { class: "small muted" }, `请求编号 ${b.requestId}`) : null,
  );
}

export function networkNotice(): HTMLDivElement {
  return notice("err", "网络错误：无法连接服务器，请稍后重试。");
}
