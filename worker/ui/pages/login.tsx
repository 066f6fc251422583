import type { DevUser } from "../../http/dev-login";
import type { OidcLogin } from "../../http/oidc-login";
import { LABELS } from "../labels";
import { Layout } from "../layout";

const label = <T extends Record<string, string>>(table: T, key: string) => (key in table ? table[key as keyof T] : key);

const GROUPS = [
  { role: "doctor", title: "医师", note: "开具、检查并签名处方" },
  { role: "pharmacist", title: "药师", note: "审核与调配本药房的订单" },
  { role: "admin", title: "管理员", note: "维护统一用药目录与规则" },
] as const;

function UserButton({ user }: { user: DevUser }) {
  const specialties = user.specialties.map((s) => label(LABELS.specialty, s)).join("、");
  return (
    <button type="button" data-role={user.role} data-sub={user.sub} data-org={user.org} data-org-name={user.orgName}>
      <span class="name">
        {user.name} <span class="muted small">{label(LABELS.title, user.title)}</span>
      </span>
      <span class="org">
        {user.orgName}
        {specialties ? ` · ${specialties}` : ""}
      </span>
      <span class="id mono">{user.sub}</span>
    </button>
  );
}

/** Development: pick a demo user. Production: sign in through the identity provider. */
export function LoginPage({ devLogin, users, oidc }: { devLogin: boolean; users: DevUser[]; oidc: OidcLogin | null }) {
  return (
    <Layout title="登录" section="login" script="login">
      <h1>登录</h1>
      {oidc ? (
        <section id="oidc" data-issuer={oidc.issuer} data-client-id={oidc.clientId} data-scope={oidc.scope}>
          <p class="lead">使用医共体统一身份认证登录。令牌只保存在本标签页（sessionStorage），关闭标签页即失效。</p>
          <div id="oidc-msg" aria-live="polite" />
          <button type="button" id="oidc-login" class="primary">
            通过统一身份认证登录
          </button>
        </section>
      ) : null}
      {devLogin ? (
        <>
          <p class="lead">开发环境：选择一位演示用户即可获得开发令牌。令牌只保存在本标签页（sessionStorage），关闭标签页即失效。</p>
          <div id="current" class="notice info" hidden />
          <div id="msg" aria-live="polite" />
          {GROUPS.map((g) => (
            <section>
              <h2>
                {g.title} <span class="muted small">{g.note}</span>
              </h2>
              <div class="users">
                {users
                  .filter((u) => u.role === g.role)
                  .map((u) => (
                    <UserButton user={u} />
                  ))}
              </div>
            </section>
          ))}
        </>
      ) : oidc ? null : (
        <div class="notice info" id="idp-notice">
          请通过医共体统一身份认证（身份提供方）登录。此环境不提供演示账号。
        </div>
      )}
    </Layout>
  );
}
