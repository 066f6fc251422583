import { LABELS } from "../labels";
import { Layout } from "../layout";
import type { PickupSite } from "../ui.repo";

/**
 * 药房工作台: the queue (GET /api/v1/orders, /orders/counts) and one order (GET /orders/{id})
 * with the actions its state allows; desk.js fills both. `orderId` set: the order view.
 * The pickup sites come with the page so the queue can name each row's window without a
 * request per row.
 */
export function DeskPage({ sites, orderId }: { sites: PickupSite[]; orderId?: string }) {
  return (
    <Layout title={orderId ? `订单 ${orderId}` : "药房工作台"} section="desk" script="desk">
      <div id="desk" data-order-id={orderId}>
        <div id="msg" aria-live="polite" />
        <section id="queue-view" hidden={Boolean(orderId)}>
          <h1>药房工作台</h1>
          <div id="tabs" class="tabs" role="tablist" aria-label="订单状态" />
          <div class="toolbar">
            <label class="inline">
              查找患者
              <input
                id="find"
                type="search"
                maxlength={64}
                autocomplete="off"
                placeholder="姓名、拼音首字母、手机尾号或订单号"
                aria-describedby="find-help"
              />
            </label>
            <span id="find-help" class="muted small">
              在当前状态中查找
            </span>
            <label class="inline">
              取药点
              <select id="site">
                <option value="">全部</option>
                {sites.map((s) => (
                  <option value={s.id}>{s.name}</option>
                ))}
              </select>
            </label>
            <label class="inline">
              方式
              <select id="mode">
                <option value="">全部</option>
                {Object.entries(LABELS.mode).map(([value, text]) => (
                  <option value={value}>{text}</option>
                ))}
              </select>
            </label>
            <label class="inline">
              分次
              <select id="instalment">
                <option value="">全部</option>
                {Object.entries(LABELS.instalmentFilter).map(([value, text]) => (
                  <option value={value}>{text}</option>
                ))}
              </select>
            </label>
          </div>
          <p id="summary" class="muted small" aria-live="polite" />
          <table id="queue" class="grid queue" hidden>
            <thead>
              <tr>
                <th>订单 / 患者</th>
                <th>药品</th>
                <th>方式 / 取药点</th>
                <th>分次</th>
                <th>开具时间</th>
                <th>状态 / 审核时限</th>
              </tr>
            </thead>
            <tbody />
          </table>
          <div class="actions">
            <button type="button" id="more" hidden>
              加载更多
            </button>
          </div>
          <ul id="sites" hidden>
            {sites.map((s) => (
              <li data-id={s.id}>{s.name}</li>
            ))}
          </ul>
        </section>
        <section id="order-view" hidden={!orderId}>
          <p>
            <a href="/ui/desk">← 返回队列</a>
          </p>
          <div id="result" class="big-result" role="status" aria-live="polite" />
          <div id="order" />
        </section>
      </div>
    </Layout>
  );
}
