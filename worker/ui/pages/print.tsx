import { Layout } from "../layout";

export type LabelSize = "58" | "80";

/** The roll widths the label printers take; anything else prints on the narrower roll. */
export function labelSize(raw: string | undefined): LabelSize {
  return raw === "80" ? "80" : "58";
}

function PrintBar(props: { title: string; orderId: string; children?: unknown }) {
  return (
    <div class="print-bar no-print">
      <p class="small">
        <a href={`/ui/desk/orders/${encodeURIComponent(props.orderId)}`}>← 返回订单</a>
      </p>
      <h1>{props.title}</h1>
      <div class="toolbar">
        <button type="button" class="primary" id="print">
          打印
        </button>
        {props.children}
      </div>
      <div id="msg" aria-live="polite" />
    </div>
  );
}

/**
 * /ui/desk/orders/{id}/labels?size=58|80: one dispensing label (用药标签) per item, for a
 * thermal label printer. The order arrives through the API with the pharmacist's token
 * (labels.js); the server renders only the frame and the roll width.
 */
export function LabelsPage({ orderId, size }: { orderId: string; size: LabelSize }) {
  return (
    <Layout title="用药标签" section="desk" script="labels">
      <PrintBar title="用药标签" orderId={orderId}>
        <span class="muted">纸宽</span>
        <a href={`?size=58`} aria-current={size === "58" ? "true" : undefined}>
          58 mm
        </a>
        <a href={`?size=80`} aria-current={size === "80" ? "true" : undefined}>
          80 mm
        </a>
      </PrintBar>
      <div id="sheets" class={`sheets roll-${size}`} data-order-id={orderId} />
    </Layout>
  );
}

/** /ui/desk/orders/{id}/slip: the pickup slip handed to the patient (the order reference, never the pickup code). */
export function SlipPage({ orderId }: { orderId: string }) {
  return (
    <Layout title="取药凭条" section="desk" script="slip">
      <PrintBar title="取药凭条" orderId={orderId} />
      <div id="sheets" class="sheets roll-80" data-order-id={orderId} />
    </Layout>
  );
}
