import type { PickupSite } from "../ui.repo";
import { COMMON_DIAGNOSES, LABELS } from "../labels";
import { Layout } from "../layout";

/**
 * The doctor's draft: patient, kind, diagnoses, items picked from the formulary, the
 * long-prescription record and the fulfilment. prescribe.js builds the API draft from it;
 * `data-path` names the draft field an input feeds, so findings can point at it.
 * `?patientId=` starts with the patient, `?renew=<patientId>` with the 续方 draft of their
 * last long prescription, `?from=<prescriptionId>` with a prescription's draft to fix and
 * sign again (replacing it when it can be replaced).
 */
export function PrescribePage({ sites }: { sites: PickupSite[] }) {
  return (
    <Layout title="开具处方" section="prescribe" script="prescribe">
      <h1 id="page-title">开具处方</h1>
      <p class="lead">
        开方医师：<span id="prescriber">—</span>
      </p>
      <div id="msg" aria-live="polite" />
      <div id="basis" aria-live="polite" hidden />
      <datalist id="icd10-common">
        {COMMON_DIAGNOSES.map((d) => (
          <option value={d.icd10} label={d.name}>
            {d.name}
          </option>
        ))}
      </datalist>
      <form id="draft" autocomplete="off" novalidate>
        <fieldset id="draft-fields" class="bare">
          <fieldset>
            <legend>患者与处方</legend>
            <div class="row">
              <div class="picker patient-picker">
                <label for="patient">患者</label>
                <input
                  id="patient"
                  type="text"
                  placeholder="姓名、拼音首字母、手机号或编号"
                  data-path="patientId"
                  required
                  maxlength={64}
                  role="combobox"
                  aria-autocomplete="list"
                  aria-expanded="false"
                  aria-controls="patient-options"
                  autocomplete="off"
                />
                <div id="patient-options" class="options" role="listbox" aria-label="匹配的患者" hidden />
              </div>
              <label>
                处方类型
                <select id="kind" data-path="kind">
                  {Object.entries(LABELS.kind).map(([value, text]) => (
                    <option value={value}>{text}</option>
                  ))}
                </select>
              </label>
              <label class="grow" id="extended">
                超过 7 天的理由（普通处方）
                <input id="extended-reason" type="text" placeholder="慢性病、老年病或特殊情况" data-path="extendedReason" maxlength={500} />
              </label>
            </div>
            <div id="patient-card" class="patient-strip" aria-live="polite" hidden />
          </fieldset>

          <fieldset id="long-term" hidden>
            <legend>长期处方</legend>
            <div class="row">
              <label class="inline">
                <input id="first-issue" type="checkbox" data-path="longTerm.firstIssue" /> 首次开具（不勾选即为续方）
              </label>
              <label class="inline">
                <input id="confirmed" type="checkbox" data-path="longTerm.patientConfirmed" /> 患者已签字确认
              </label>
            </div>
            <div class="row">
              <label class="grow">
                评估记录（超过 4 周须严格评估并记录）
                <textarea id="assessment" rows={3} data-path="longTerm.assessment" maxlength={2000} placeholder="病情稳定、用药方案稳定、依从性良好……" />
              </label>
            </div>
          </fieldset>

          <fieldset>
            <legend>诊断</legend>
            <table id="diagnoses" class="grid compact">
              <thead>
                <tr>
                  <th>ICD-10</th>
                  <th>名称</th>
                  <th />
                </tr>
              </thead>
              <tbody />
            </table>
            <div class="actions">
              <button type="button" id="add-diagnosis">
                添加诊断
              </button>
            </div>
          </fieldset>

          <fieldset>
            <legend>药品</legend>
            <div class="row">
              <div class="picker">
                <label for="drug-q">从目录添加药品</label>
                <input
                  id="drug-q"
                  type="search"
                  placeholder="通用名、拼音简码或编码，如 EJSG"
                  role="combobox"
                  aria-autocomplete="list"
                  aria-expanded="false"
                  aria-controls="drug-options"
                  maxlength={64}
                />
                <div id="drug-options" class="options" role="listbox" hidden />
              </div>
              <label>
                统一天数
                <input id="all-days" type="number" min="1" step="1" placeholder="天" />
              </label>
              <div class="actions">
                <button type="button" data-days="28">
                  4 周
                </button>
                <button type="button" data-days="56">
                  8 周
                </button>
                <button type="button" data-days="84">
                  12 周
                </button>
              </div>
            </div>
            <p id="no-items" class="muted small">
              尚未添加药品。
            </p>
            <table id="items" class="grid compact items" hidden>
              <thead>
                <tr>
                  <th>药品</th>
                  <th>单次剂量</th>
                  <th>频次</th>
                  <th>天数</th>
                  <th>数量</th>
                  <th />
                </tr>
              </thead>
              <tbody />
            </table>
          </fieldset>

          <fieldset>
            <legend>取药方式</legend>
            <div class="row">
              <label class="inline">
                <input type="radio" name="mode" value="pickup" checked data-path="fulfilment.mode" /> 便民窗口取药
              </label>
              <label class="inline">
                <input type="radio" name="mode" value="delivery" /> 配送到家
              </label>
              <label id="instalments-field">
                分次供药（长期处方）
                <select id="instalments" data-path="fulfilment.instalments">
                  <option value="1">一次供足</option>
                  <option value="2">分 2 次</option>
                  <option value="3">分 3 次</option>
                </select>
              </label>
            </div>
            <div class="row" id="pickup-fields">
              <label class="grow">
                取药点
                <select id="pickup-site" data-path="fulfilment.pickupSiteId">
                  {sites.map((s) => (
                    <option value={s.id}>{`${s.name}（${s.pharmacyName}）· ${s.address}`}</option>
                  ))}
                </select>
              </label>
            </div>
            <div class="row" id="delivery-fields" hidden>
              <label>
                地区
                <input id="addr-region" type="text" placeholder="青溪县/石门乡" data-path="fulfilment.address.region" maxlength={100} />
              </label>
              <label class="grow">
                详细地址
                <input id="addr-line" type="text" placeholder="枫林村三组 12 号" data-path="fulfilment.address.line" maxlength={200} />
              </label>
              <label>
                电话
                <input id="addr-phone" type="tel" placeholder="13800000000" data-path="fulfilment.address.phone" maxlength={20} />
              </label>
            </div>
          </fieldset>
        </fieldset>
      </form>

      <div class="actions">
        <button type="button" id="validate">
          检查
        </button>
        <button type="button" id="sign" class="primary">
          签名
        </button>
        <button type="button" id="new-draft" hidden>
          开具新处方
        </button>
        <span id="totals" class="muted small" />
      </div>
      <section id="findings" class="card findings" aria-live="polite" hidden />
      <section id="result" class="card" aria-live="polite" hidden />
    </Layout>
  );
}
