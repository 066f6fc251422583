import { Layout } from "../layout";

const COLUMNS =
  "code, genericName, innName, pinyin, form, strengthValue, strengthUnit, packSize, packUnit, route, atc, nhsaCode, nemlCategory, " +
  "essential, insuranceClass, vbp, specialistOnly, controlClass, antimicrobial, antiTb, storage, longRxEligible, conditions, " +
  "minLevel, maxDailyDoseValue, maxDailyDoseUnit, price, freeProgramme, status, effectiveFrom";

/** Bulk import for admins: dry run first, then apply exactly what was checked. */
export function ImportPage() {
  return (
    <Layout title="批量导入" section="import" script="import">
      <h1>批量导入药品目录</h1>
      <p class="lead">粘贴或选择 CSV（或 JSON）文件，先试运行查看逐行结果，确认后再导入。每一行替换整个条目；再次导入同一文件不会产生变化。</p>
      <div id="msg" aria-live="polite" />
      <div class="card">
        <div class="row">
          <label class="grow">
            CSV 内容
            <textarea id="csv" spellcheck={false} placeholder="code,genericName,form,strengthValue,strengthUnit,packSize,packUnit,route,minLevel,…" />
          </label>
        </div>
        <div class="row">
          <label>
            或选择文件
            <input type="file" id="file" accept=".csv,.json,text/csv,application/json" />
          </label>
          <button type="button" id="sample" class="link">
            填入示例
          </button>
        </div>
        <details class="small muted">
          <summary>列说明</summary>
          <p>
            列名即条目字段：<code>{COLUMNS}</code>。必填：code、genericName、form、strengthValue、strengthUnit、packSize、packUnit、route、minLevel。
            布尔值写 true/false（或 是/否），适用慢病用 <code>|</code> 分隔（如 <code>I10|E11</code>），价格单位为元。
          </p>
        </details>
      </div>
      <div class="actions">
        <button type="button" id="dry-run">
          试运行 (dry run)
        </button>
        <button type="button" id="apply" class="primary" disabled>
          导入
        </button>
        <span id="apply-hint" class="muted small" aria-live="polite">
          先试运行，再导入。
        </span>
      </div>
      <section id="job" class="card" hidden>
        <h2>分块导入</h2>
        <p class="muted small">大文件（超过 1,000 行）在浏览器中分块，逐块上传并校验；全部校验后点击“发布”，医生在发布完成的一刻看到新目录，之前始终是旧目录。</p>
        <progress id="job-progress" class="job-progress" max={100} value={0} aria-label="导入进度" />
        <p id="job-status" aria-live="polite" />
        <div class="actions">
          <button type="button" id="publish" class="primary" disabled>
            发布
          </button>
          <button type="button" id="resume" hidden>
            继续上传
          </button>
          <button type="button" id="abort-job" class="link">
            放弃本次导入
          </button>
        </div>
      </section>
      <div id="report" />
    </Layout>
  );
}
