import { Layout } from "../layout";

/** A published public key as the verify page needs it (signing/qr-payload.ts QrPublicJwk). */
export interface VerifyKey {
  kid?: string;
  kty?: string;
  crv?: string;
  x?: string;
}

/**
 * /ui/verify (处方验真), public: reads the payload of a printed prescription's QR code (a
 * keyboard-wedge scanner types it and Enter, or it is pasted) and checks its signature in the
 * browser against the public keys embedded here at render time, so the check itself needs no
 * server and works with the network gone once the page has loaded.
 */
export function VerifyPage({ keys }: { keys: VerifyKey[] }) {
  // only the public members: the page has no use for anything else a key record may carry
  const published = keys.map(({ kid, kty, crv, x }) => ({ kid, kty, crv, x }));
  return (
    <Layout title="处方验真" section="verify" script="verify">
      <div class="verify-page" id="verify" data-keys={JSON.stringify(published)}>
        <h1>处方验真</h1>
        <p class="lead">用扫码枪扫描处方笺右下角的二维码（或粘贴二维码内容后按回车）。验证在本机完成，不需要联网。</p>
        <form id="verify-form" class="card verify-form" novalidate>
          <label for="payload">二维码内容</label>
          <div class="verify-input">
            <input type="text" id="payload" name="payload" autocomplete="off" spellcheck={false} autofocus placeholder="扫码或粘贴，以 YL1. 开头" />
            <button type="submit" class="primary">
              验证
            </button>
          </div>
        </form>
        <div id="msg" aria-live="polite" />
        <div id="result" class="verify-result" role="status" aria-live="polite" />
        <div id="summary" />
      </div>
    </Layout>
  );
}
