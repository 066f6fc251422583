import { LABELS } from "../labels";
import { Layout } from "../layout";

/**
 * 统计报表 (admins): the consortium's prescribing quality at a glance. The filters choose a
 * month (or a date range), an institution level and an institution; reports.js asks the
 * report API and draws each figure with its table (a toggle) and its CSV. The figures'
 * cards are filled by the script; the page holds only the frame and the filters.
 */
export function ReportsPage() {
  return (
    <Layout title="统计报表" section="reports" script="reports">
      <h1>统计报表</h1>
      <p class="lead">处方质量、长期处方、订单与用时、合理用药指标（WHO/INRUD）。数据来自已签名处方与药房审核记录。</p>
      <div id="msg" aria-live="polite" />
      <form id="filters" class="card report-filters no-print" aria-label="筛选">
        <div class="row">
          <label>
            月份
            <input id="month" name="month" type="month" required />
          </label>
          <details id="range-box">
            <summary>自定义起止日期</summary>
            <div class="row">
              <label>
                开始
                <input id="from" name="from" type="date" />
              </label>
              <label>
                结束
                <input id="to" name="to" type="date" />
              </label>
            </div>
          </details>
          <label>
            机构级别
            <select id="level" name="level">
              <option value="">全部级别</option>
              {Object.entries(LABELS.institutionLevel).map(([value, text]) => (
                <option value={value}>{text}</option>
              ))}
            </select>
          </label>
          <label>
            机构
            <select id="institution" name="institutionId">
              <option value="">全部机构</option>
            </select>
          </label>
          <button type="submit" class="primary">
            查询
          </button>
          <button type="button" id="print" class="no-print">
            打印
          </button>
        </div>
      </form>
      <p id="scope" class="report-scope" aria-live="polite" />
      <div id="summary" class="summary-tiles" />
      <div id="figures" class="figures" />
    </Layout>
  );
}
