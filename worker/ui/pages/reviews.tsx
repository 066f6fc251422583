import { Layout } from "../layout";

/**
 * /ui/reviews (处方点评, admins as the consortium's 药事 office): draw a finished month's random
 * sample per institution, see every sample's progress, and review a sample item by item with
 * the keyboard (reviews.js). /ui/reviews/feedback: the per-doctor feedback list, printable;
 * a doctor sees their own, an admin anyone's.
 */
export function ReviewsPage() {
  return (
    <Layout title="处方点评" section="reviews" script="reviews">
      <div id="reviews-page">
        <h1>处方点评</h1>
        <p class="lead">按《医院处方点评管理规范（试行）》每月随机抽取各机构处方（不少于 1‰ 且不少于设定张数），逐张判定合理或不合理（不规范 / 用药不适宜 / 超常）。</p>
        <div id="msg" aria-live="polite" />

        <section id="samples-section" aria-labelledby="samples-title">
          <form id="draw-form" class="toolbar no-print" novalidate>
            <label class="inline">
              月份
              <input id="month" type="month" required />
            </label>
            <label class="inline">
              机构
              <select id="institution">
                <option value="">全部机构</option>
              </select>
            </label>
            <button type="submit" id="draw" class="primary">
              抽取样本
            </button>
            <a id="feedback-link" href="/ui/reviews/feedback">
              医师点评反馈
            </a>
          </form>
          <p class="muted small no-print">只能抽取已结束的月份；已取消和已被替代的处方不计入总数。同一机构每月只抽一次，抽样种子随样本保存，可复核。</p>
          <h2 id="samples-title">
            样本 <span id="samples-count" class="muted" />
          </h2>
          <p id="samples-empty" class="notice info" hidden>
            该月还没有样本。选择机构后点击“抽取样本”，或选“全部机构”一次抽取。
          </p>
          <table id="samples" class="grid samples" hidden>
            <thead>
              <tr>
                <th>月份</th>
                <th>机构</th>
                <th class="num">抽样 / 总数</th>
                <th>点评进度</th>
                <th class="num">合理率</th>
                <th>状态</th>
                <th>
                  <span class="visually-hidden">操作</span>
                </th>
              </tr>
            </thead>
            <tbody />
          </table>
        </section>

        <section id="review-section" aria-labelledby="review-title" hidden>
          <div class="section-head">
            <h2 id="review-title">样本点评</h2>
            <div class="head-actions no-print">
              <button type="button" id="back">
                返回样本列表
              </button>
              <button type="button" id="close-sample">
                完成点评
              </button>
            </div>
          </div>
          <p id="review-progress" class="muted" aria-live="polite" />
          <p class="muted small keys no-print">
            <kbd>J</kbd>/<kbd>↓</kbd> 下一张　<kbd>K</kbd>/<kbd>↑</kbd> 上一张　数字键 勾选条目（如 <kbd>1</kbd><kbd>2</kbd> = 第 12 条）　<kbd>0</kbd> 清空（合理）　
            <kbd>N</kbd> 写备注　<kbd>Enter</kbd> 保存并下一张
          </p>
          <div class="review-grid">
            <ol id="review-list" class="review-list" aria-label="样本处方" />
            <div id="review-card" class="review-card" tabindex={-1} />
          </div>
        </section>
      </div>
    </Layout>
  );
}

export function ReviewFeedbackPage() {
  return (
    <Layout title="处方点评反馈" section="reviews" script="reviews">
      <div id="feedback-page">
        <h1>处方点评反馈</h1>
        <div id="msg" aria-live="polite" />
        <form id="feedback-form" class="toolbar no-print" novalidate>
          <label class="inline">
            月份
            <input id="fb-month" type="month" />
          </label>
          <label class="inline" id="fb-doctor-label" hidden>
            医师编号
            <input id="fb-doctor" type="text" maxlength={64} placeholder="全部医师" />
          </label>
          <button type="submit">查看</button>
          <button type="button" id="print">
            打印
          </button>
        </form>
        <p class="muted small" id="fb-scope" />
        <table id="fb-doctors" class="grid compact" hidden>
          <thead>
            <tr>
              <th>医师</th>
              <th>机构</th>
              <th class="num">点评张数</th>
              <th class="num">合理</th>
              <th class="num">不规范</th>
              <th class="num">用药不适宜</th>
              <th class="num">超常</th>
              <th class="num">合理率</th>
            </tr>
          </thead>
          <tbody />
        </table>
        <p id="fb-empty" class="notice info" hidden>
          没有点评结果。
        </p>
        <table id="fb-items" class="grid feedback" hidden>
          <thead>
            <tr>
              <th>月份</th>
              <th>处方</th>
              <th>诊断 / 药品</th>
              <th>结果</th>
              <th>问题条目</th>
              <th>点评意见</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </div>
    </Layout>
  );
}
