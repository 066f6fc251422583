import { ASSET_VERSION } from "../assets";
import { Layout } from "../layout";

/** The console's sub-pages: /ui/admin/<view>; admin.js (browser/pages/admin.ts) fills each in through the API. */
export const ADMIN_VIEWS = {
  institutions: "机构",
  practitioners: "医师",
  pharmacists: "药师",
  pharmacies: "药房与取药点",
  specialties: "相关专科",
  interactions: "相互作用",
  settings: "联盟设置",
  audit: "审计日志",
} as const;
export type AdminView = keyof typeof ADMIN_VIEWS;

export function isAdminView(view: string): view is AdminView {
  return Object.hasOwn(ADMIN_VIEWS, view);
}

const VIEWS: readonly AdminView[] = Object.keys(ADMIN_VIEWS).filter(isAdminView);

const INTRO: Record<AdminView, string> = {
  institutions: "医共体成员机构：新增后即可在其下登记医师。",
  practitioners: "各机构的医师：职称和专科决定可开具的药品与长期处方。",
  pharmacists: "签约药房的药师：药师及以上职称可审核和发药，药士只可调配。",
  pharmacies: "签约药房、其配送范围与能力，以及患者可选的取药点。",
  specialties: "哪些专科与某病种（ICD-10 前缀）相关：长期处方规则据此判断医师是否为相关专科。",
  interactions: "处方安全规则检查的药物相互作用表：每一侧按 ATC 前缀、通用名或两者匹配。",
  settings: "联盟自定的参数（在国家规定范围内）。每项单独版本化；保存时若他人已改过，会提示并显示最新值。",
  audit: "谁在何时修改或查阅了什么。查阅本日志本身也会被记录。",
};

/** The console's overview: one card per sub-page. */
function Overview() {
  return (
    <ul class="admin-cards">
      {VIEWS.map((view) => (
        <li>
          <a href={`/ui/admin/${view}`}>
            <strong>{ADMIN_VIEWS[view]}</strong>
            <span class="muted small">{INTRO[view]}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** One page of the console: sub-navigation, a message slot, and the view's container. */
export function AdminPage(props: { view: AdminView | null }) {
  const title = props.view ? ADMIN_VIEWS[props.view] : "管理";
  return (
    <Layout title={`${title} · 管理`} section="admin" script="admin">
      {/* the console's own styles: a stylesheet link is allowed in the body, and no other page loads them */}
      <link rel="stylesheet" href={`/ui/assets/admin.css?v=${ASSET_VERSION}`} />
      <nav class="subnav no-print" aria-label="管理">
        <a href="/ui/admin" aria-current={props.view === null ? "page" : undefined}>
          概览
        </a>
        {VIEWS.map((view) => (
          <a href={`/ui/admin/${view}`} aria-current={view === props.view ? "page" : undefined}>
            {ADMIN_VIEWS[view]}
          </a>
        ))}
      </nav>
      <h1>{props.view ? title : "医共体管理"}</h1>
      {props.view ? <p class="muted no-print">{INTRO[props.view]}</p> : null}
      <div id="msg" aria-live="polite" />
      {props.view ? <div id="admin" data-view={props.view} /> : <Overview />}
    </Layout>
  );
}
