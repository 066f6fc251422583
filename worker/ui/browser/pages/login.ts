/**
 * /ui/login: sign in through the identity provider (OpenID Connect, lib/oidc.ts) where the
 * deployment has one, and/or pick a demo user for a dev token (development only; see
 * worker/http/dev-login.ts). The provider also comes back here with its code.
 */
import { api, el, label, networkNotice, notice, principal, problemNotice, renderWho, replace, signIn, signOut } from "../lib";
import { beginSignIn, completeSignIn, isCallback, type OidcConfig, OidcError } from "../lib/oidc";

// In production the page has neither: it only points to the identity provider.
const msg = document.getElementById("msg");
const current = document.getElementById("current");
// a doctor's day starts with the follow-up list (随访), not an empty prescription; an admin's
// with last month's figures (统计报表), the question the consortium answers for
const DEFAULT_PAGE: Record<string, string> = { doctor: "/ui/follow-up", admin: "/ui/reports", pharmacist: "/ui/desk" };
const buttons = () => document.querySelectorAll<HTMLButtonElement>("button[data-sub]");

/** Only a page of this site: never an absolute or protocol-relative URL (no open redirect). */
function nextPage(role: string, next = new URLSearchParams(location.search).get("next") || ""): string {
  return /^\/ui\/(?!\/)/.test(next) && !next.includes("\\") ? next : DEFAULT_PAGE[role] || "/ui/formulary";
}

function show(node: Node): void {
  if (msg) replace(msg, node);
}

function showCurrent(): void {
  if (!current) return;
  const p = principal();
  current.hidden = !p;
  if (!p) return;
  replace(
    current,
    "当前登录：",
    el("strong", { id: "current-user", text: p.name || p.sub }),
    `（${label("role", p.role)} · ${p.sub} · ${p.orgName || p.org}） `,
    el("a", { href: nextPage(p.role), text: "继续" }),
    " ",
    el(
      "button",
      {
        type: "button",
        class: "link",
        onclick: () => {
          signOut();
          renderWho();
          showCurrent();
        },
      },
      "退出",
    ),
  );
}

for (const button of buttons()) {
  button.addEventListener("click", async () => {
    const { role, sub, org, orgName } = button.dataset;
    for (const b of buttons()) b.disabled = true;
    show(el("div", { class: "notice info", role: "status" }, "正在登录…"));
    try {
      const res = await api<{ token: string }>("POST", "/dev/token", { json: { role, sub, org } });
      if (!res.ok) {
        show(problemNotice(res));
        return;
      }
      signIn(res.body.token, { orgName });
      location.href = nextPage(role ?? "");
    } catch {
      show(networkNotice());
    } finally {
      for (const b of buttons()) b.disabled = false;
    }
  });
}
showCurrent();

const oidcSection = document.getElementById("oidc");
const oidcMsg = document.getElementById("oidc-msg");
const oidcButton = document.getElementById("oidc-login");

function oidcConfig(): OidcConfig | null {
  const { issuer, clientId, scope } = oidcSection?.dataset ?? {};
  return issuer && clientId && scope ? { issuer, clientId, scope } : null;
}

function showOidc(node: Node): void {
  if (oidcMsg) replace(oidcMsg, node);
}

function oidcFailure(err: unknown): Node {
  return err instanceof OidcError ? notice("err", err.message) : networkNotice();
}

const config = oidcConfig();
if (config) {
  const params = new URLSearchParams(location.search);
  if (isCallback(params)) {
    // the code and state leave the address bar and the history before anything else
    history.replaceState(null, "", "/ui/login");
    showOidc(notice("info", "正在完成登录…"));
    completeSignIn(config, params)
      .then((done) => {
        signIn(done.accessToken, { providerLogout: done.logoutUrl ?? undefined });
        location.href = nextPage(principal()?.role ?? "", done.next);
      })
      .catch((err: unknown) => showOidc(oidcFailure(err)));
  }
  oidcButton?.addEventListener("click", () => {
    showOidc(notice("info", "正在前往统一身份认证…"));
    beginSignIn(config, params.get("next") || "").catch((err: unknown) => showOidc(oidcFailure(err)));
  });
}
