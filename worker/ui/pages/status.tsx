import { Layout } from "../layout";

/** /ui/status: the patient's own order lookup (public): the order reference and the phone's last four digits. */
export function StatusPage() {
  return (
    <Layout title="取药进度查询" section="status" script="status">
      <div class="status-page">
        <h1>取药进度查询</h1>
        <p class="lead">请输入短信或取药凭条上的订单号，以及手机号码的后四位。</p>
        <form id="status-form" class="card status-form" novalidate>
          <label>
            订单号
            <input type="text" id="reference" name="reference" autocomplete="off" autocapitalize="characters" maxlength={40} required />
          </label>
          <label>
            手机号后四位
            <input type="tel" id="check" name="check" inputmode="numeric" pattern="[0-9]{4}" maxlength={4} autocomplete="off" required />
          </label>
          <button type="submit" class="primary">
            查询
          </button>
        </form>
        <div id="msg" aria-live="polite" />
        <div id="result" />
      </div>
    </Layout>
  );
}
