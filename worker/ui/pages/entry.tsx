import { Layout } from "../layout";

/** One entry and its history; the code travels in a data attribute (escaped) and entry.js loads the rest. */
export function EntryPage({ code }: { code: string }) {
  return (
    <Layout title={code} section="formulary" script="entry">
      <p class="small">
        <a href="/ui/formulary">← 返回药品目录</a>
      </p>
      <div id="entry" data-code={code}>
        <div id="msg" aria-live="polite" />
        <div class="entry-head" id="entry-head">
          <h1>
            <code>{code}</code>
          </h1>
        </div>
        <div class="card" id="entry-fields" />
        <h2>版本历史</h2>
        <ol class="history" id="history" />
        <button type="button" id="history-more" hidden>
          加载更早的版本
        </button>
      </div>
    </Layout>
  );
}
