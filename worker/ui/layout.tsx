import type { Child } from "hono/jsx";
import { ASSET_VERSION, type PageScript } from "./assets";

export type Section = "login" | "formulary" | "import" | "prescribe" | "desk" | "phone" | "status" | "follow-up" | "prescriptions" | "verify" | "admin" | "reviews" | "reports";

const NAV: { section: Section; href: string; text: string; role?: string }[] = [
  { section: "formulary", href: "/ui/formulary", text: "药品目录" },
  { section: "import", href: "/ui/formulary/import", text: "批量导入", role: "admin" },
  { section: "follow-up", href: "/ui/follow-up", text: "随访", role: "doctor" },
  { section: "prescribe", href: "/ui/prescribe", text: "开处方", role: "doctor" },
  { section: "prescriptions", href: "/ui/prescriptions", text: "我的处方", role: "doctor" },
  { section: "desk", href: "/ui/desk", text: "药房工作台", role: "pharmacist" },
  { section: "admin", href: "/ui/admin", text: "管理", role: "admin" },
  { section: "reviews", href: "/ui/reviews", text: "处方点评", role: "admin" },
  { section: "reports", href: "/ui/reports", text: "统计报表", role: "admin" },
  { section: "verify", href: "/ui/verify", text: "处方验真" },
];

/**
 * The page shell. Pages load without a token; their scripts read it from sessionStorage
 * and call the API with it. Role-specific links start hidden and app.js reveals them.
 */
export function Layout(props: { title: string; section: Section; script: PageScript; children?: Child }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · 药联 YaoLian`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={`/ui/assets/app.css?v=${ASSET_VERSION}`} />
        <script src={`/ui/assets/app.js?v=${ASSET_VERSION}`} defer />
        <script src={`/ui/assets/${props.script}.js?v=${ASSET_VERSION}`} defer />
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/ui/formulary">
            药联 YaoLian
          </a>
          <nav aria-label="主导航">
            {NAV.map((n) => (
              <a href={n.href} aria-current={n.section === props.section ? "page" : undefined} data-role={n.role} hidden={Boolean(n.role)}>
                {n.text}
                {/* the doctor's open inbox notices, filled by app.js (lib/inbox.ts) */}
                {n.section === "prescriptions" ? <span class="nav-count" data-inbox-count="" hidden /> : null}
              </a>
            ))}
          </nav>
          <div class="who" id="who">
            <a href="/ui/login">登录</a>
          </div>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
