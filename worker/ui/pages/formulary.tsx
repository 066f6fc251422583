import { LABELS } from "../labels";
import { Layout } from "../layout";

/** The formulary search; the results come from GET /api/v1/formulary/drugs in formulary.js. */
export function FormularyPage() {
  return (
    <Layout title="药品目录" section="formulary" script="formulary">
      <h1>统一用药目录</h1>
      <div id="formulary">
        <div class="toolbar">
          <input
            id="q"
            type="search"
            placeholder="通用名、拼音简码（如 ASPL）或编码"
            aria-label="搜索药品"
            autocomplete="off"
            maxlength={64}
          />
          <label class="inline">
            状态
            <select id="status" aria-label="状态筛选">
              <option value="">全部</option>
              {Object.entries(LABELS.status).map(([value, text]) => (
                <option value={value}>{text}</option>
              ))}
            </select>
          </label>
        </div>
        <div id="msg" aria-live="polite" />
        <p id="summary" class="muted small" aria-live="polite" />
        <table id="results" class="grid" hidden>
          <thead>
            <tr>
              <th>通用名</th>
              <th>剂型</th>
              <th>规格</th>
              <th>包装</th>
              <th>编码 / 拼音</th>
              <th>标识</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody />
        </table>
        <div class="actions">
          <button type="button" id="more" hidden>
            加载更多
          </button>
        </div>
      </div>
    </Layout>
  );
}
