import { Layout } from "../layout";

/**
 * /ui/prescriptions/{id}/print: the A5 处方笺. The prescription arrives through the API with
 * the signed-in user's token (rx-print.js, GET /api/v1/prescriptions/{id}/print); the server
 * renders only the frame.
 */
export function RxPrintPage({ id }: { id: string }) {
  return (
    <Layout title="处方笺" section="prescriptions" script="rx-print">
      <div class="print-bar no-print">
        <p class="small">
          <a href="/ui/prescriptions?tab=all">← 我的处方</a>
        </p>
        <h1>打印处方笺</h1>
        <div class="toolbar">
          <button type="button" class="primary big" id="print" disabled>
            打印
          </button>
          <span class="muted">A5 纸（148 × 210 mm），纵向</span>
        </div>
        <div id="msg" aria-live="polite" />
      </div>
      <div id="sheets" class="rx-sheets" data-id={id} />
    </Layout>
  );
}
