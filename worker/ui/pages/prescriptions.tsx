import { LABELS } from "../labels";
import { Layout } from "../layout";

/**
 * /ui/prescriptions (我的处方): two tabs, 待办 (the inbox of notices that need the doctor:
 * GET /api/v1/inbox) and 全部处方 (GET /api/v1/prescriptions with their orders); prescriptions.js
 * fills both with the doctor's token. `?tab=all&status=&patientId=` opens the list filtered.
 */
export function PrescriptionsPage() {
  return (
    <Layout title="我的处方" section="prescriptions" script="prescriptions">
      <div id="rx-page">
        <h1>我的处方</h1>
        <p class="no-print">
          <a href="/ui/reviews/feedback" id="review-feedback-link">
            处方点评反馈
          </a>
        </p>
        <div id="msg" aria-live="polite" />
        <div class="tabs" role="tablist" aria-label="我的处方">
          <button type="button" role="tab" class="tab" id="tab-inbox" aria-controls="inbox-panel" aria-selected="true">
            待办 <span class="count" id="inbox-open" />
          </button>
          <button type="button" role="tab" class="tab" id="tab-all" aria-controls="all-panel" aria-selected="false" tabindex={-1}>
            全部处方
          </button>
        </div>

        <section id="inbox-panel" role="tabpanel" aria-labelledby="tab-inbox">
          <div class="toolbar">
            <label class="inline">
              显示
              <select id="inbox-state">
                <option value="open">未处理</option>
                <option value="done">已处理</option>
                <option value="all">全部</option>
              </select>
            </label>
            <span id="inbox-summary" class="muted" aria-live="polite" />
          </div>
          <div id="inbox-list" class="inbox-list" />
        </section>

        <section id="all-panel" role="tabpanel" aria-labelledby="tab-all" hidden>
          <form id="rx-filter" class="toolbar" novalidate>
            <label class="inline">
              范围
              <select id="rx-scope">
                <option value="mine">我开具的</option>
                <option value="institution">本机构</option>
              </select>
            </label>
            <label class="inline">
              状态
              <select id="rx-status">
                <option value="">全部</option>
                {Object.entries(LABELS.rxStatus).map(([value, text]) => (
                  <option value={value}>{text}</option>
                ))}
              </select>
            </label>
            <label class="inline">
              患者编号
              <input type="search" id="rx-patient" placeholder="如 pat-001" maxlength={64} autocomplete="off" />
            </label>
            <button type="submit">筛选</button>
          </form>
          <p id="rx-summary" class="muted small" aria-live="polite" />
          <div id="rx-list" class="rx-list" />
          <div class="actions">
            <button type="button" id="rx-more" hidden>
              加载更多
            </button>
          </div>
        </section>
      </div>
    </Layout>
  );
}
