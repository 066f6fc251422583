/** The page header every page shares: who is signed in, and the links of their role. */
import { el, replace } from "./dom";
import { label } from "./format";
import { loginHref, principal, signOut } from "./session";

/** Renders the header's sign-in slot and shows the nav links of the signed-in role. */
export function renderWho(): void {
  const slot = document.getElementById("who");
  const p = principal();
  document.body.dataset.role = p ? p.role : "";
  for (const a of document.querySelectorAll<HTMLElement>("nav [data-role]")) a.hidden = !p || a.dataset.role !== p.role;
  if (!slot) return;
  if (!p) {
    replace(slot, el("a", { href: loginHref(), text: "登录" }));
    return;
  }
  replace(
    slot,
    el("span", { id: "who-name", title: `${p.sub} · ${p.org}` }, `${p.name || p.sub}（${label("role", p.role)} · ${p.orgName || p.org}）`),
    el(
      "button",
      {
        type: "button",
        id: "logout",
        onclick: () => {
          // with a provider sign-in, end its session too (it comes back to the login page)
          location.href = signOut() ?? "/ui/login";
        },
      },
      "退出",
    ),
  );
}
