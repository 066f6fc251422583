import { Layout } from "../layout";

/**
 * 随访: the doctor's home. The search box finds any patient of the consortium as the doctor
 * types (GET /patients?q=); below it the doctor's own patients due for follow-up
 * (GET /follow-up/due), oldest first, each with 查看 and 续方. follow-up.js fills both.
 */
export function FollowUpPage() {
  return (
    <Layout title="随访" section="follow-up" script="follow-up">
      <h1>随访</h1>
      <p class="lead" id="today" />
      <div id="msg" aria-live="polite" />
      <div class="patient-search picker">
        <label for="patient-q">查找患者</label>
        <input
          id="patient-q"
          type="search"
          placeholder="姓名、拼音首字母（如 zgl）、手机号或患者编号"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded="false"
          aria-controls="patient-options"
          autocomplete="off"
          maxlength={64}
        />
        <div id="patient-options" class="options" role="listbox" aria-label="匹配的患者" hidden />
        <p class="muted small hint">↑↓ 选择，回车打开患者概览，Esc 清空。</p>
      </div>

      <section id="due-section" aria-labelledby="due-title">
        <div class="section-head">
          <h2 id="due-title">
            待随访 <span id="due-count" class="muted" />
          </h2>
          <label class="inline">
            药品在
            <select id="within">
              <option value="7">7 天内</option>
              <option value="14" selected>
                14 天内
              </option>
              <option value="30">30 天内</option>
            </select>
            用完
          </label>
        </div>
        <p class="muted small">我的签约患者和我开过长期处方的患者：药将用完、已断药（30 天内）或需重新评估的，最早到期的在前。</p>
        <div id="due-msg" aria-live="polite" />
        <p id="due-empty" class="notice ok" hidden>
          没有需要随访的患者。
        </p>
        <table id="due" class="grid due-list" hidden>
          <thead>
            <tr>
              <th>患者</th>
              <th>原因</th>
              <th>药品用完</th>
              <th>长期处方药品</th>
              <th>上次长期处方</th>
              <th>
                <span class="visually-hidden">操作</span>
              </th>
            </tr>
          </thead>
          <tbody />
        </table>
        <div class="actions">
          <button type="button" id="more" hidden>
            加载更多
          </button>
        </div>
      </section>
    </Layout>
  );
}
