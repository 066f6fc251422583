import { Layout } from "../layout";

/** /ui/dev/phone: the simulated patient handset (development only; the route is mounted only where dev login is on). */
export function PhonePage() {
  return (
    <Layout title="模拟患者手机" section="phone" script="phone">
      <h1>模拟患者手机</h1>
      <p class="lead">仅用于开发测试：显示患者手机收到的短信（含取药码）。生产环境不存在此页面。</p>
      <form id="phone-form" class="toolbar">
        <label>
          患者编号 <input type="text" id="patient-id" name="patientId" placeholder="如 pat-009" autocomplete="off" required />
        </label>
        <button type="submit" class="primary">
          查看短信
        </button>
      </form>
      <div id="msg" aria-live="polite" />
      <div class="phone">
        <div class="phone-head" id="phone-head">
          短信
        </div>
        <ol class="phone-list" id="phone-list" />
      </div>
    </Layout>
  );
}
