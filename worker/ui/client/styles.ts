/** The one stylesheet of the pages, served from the worker (/ui/assets/app.css): no CDN, no framework. */
export const STYLES = `
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #f5f7fa; --card: #fff;
  --brand: #0b6e4f; --brand-ink: #fff; --link: #0a558c;
  --err: #b42318; --err-bg: #fef3f2; --warn: #93370d; --warn-bg: #fffaeb; --ok: #067647; --ok-bg: #ecfdf3;
  --info-bg: #eff8ff; --info: #175cd3;
  font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--link); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
[hidden] { display: none !important; }

.topbar { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.5rem; background: var(--brand); color: var(--brand-ink); }
.topbar .brand { font-weight: 700; font-size: 1.1rem; color: inherit; text-decoration: none; white-space: nowrap; }
.topbar nav { display: flex; gap: .25rem; flex: 1; flex-wrap: wrap; }
.topbar nav a { white-space: nowrap; color: inherit; text-decoration: none; padding: .3rem .7rem; border-radius: 6px; opacity: .9; }
.topbar nav a:hover { background: rgba(255,255,255,.12); opacity: 1; }
.topbar nav a[aria-current="page"] { background: rgba(255,255,255,.2); opacity: 1; font-weight: 600; }
.topbar .who { display: flex; align-items: center; gap: .6rem; white-space: nowrap; font-size: .9rem; }
.topbar .who button { background: transparent; color: inherit; border: 1px solid rgba(255,255,255,.6); padding: .15rem .6rem; }
.topbar .who a { color: inherit; }

main { max-width: 1180px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
h1 { font-size: 1.45rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.lead { color: var(--muted); margin-top: -.5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }

input, select, textarea, button { font: inherit; color: var(--ink); }
input[type=text], input[type=search], input[type=number], input[type=tel], select, textarea {
  border: 1px solid #bcccdc; border-radius: 6px; padding: .4rem .55rem; background: #fff; min-width: 0;
}
input:focus, select:focus, textarea:focus, button:focus-visible { outline: 2px solid #7cc4a4; outline-offset: 1px; }
textarea { width: 100%; min-height: 4.5rem; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
button { border: 1px solid #bcccdc; background: #fff; border-radius: 6px; padding: .4rem .9rem; cursor: pointer; }
button:hover:not(:disabled) { background: #f0f4f8; }
button.primary { background: var(--brand); border-color: var(--brand); color: #fff; }
button.primary:hover:not(:disabled) { background: #095c42; }
button.danger { color: var(--err); border-color: #fda29b; }
button:disabled { opacity: .5; cursor: not-allowed; }
button.link { border: none; background: none; padding: 0 .2rem; color: var(--link); text-decoration: underline; }
label { display: inline-flex; flex-direction: column; gap: .2rem; font-size: .85rem; color: var(--muted); }
label.inline { flex-direction: row; align-items: center; gap: .35rem; color: var(--ink); font-size: .95rem; }
fieldset { border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1rem 1rem; margin: 0 0 1rem; background: var(--card); }
fieldset:disabled { opacity: .75; }
fieldset.bare { border: none; padding: 0; margin: 0; background: none; }
fieldset.bare:disabled { opacity: .7; }
fieldset.bare:disabled fieldset:disabled { opacity: 1; }
legend { font-weight: 600; padding: 0 .4rem; }
.row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; }
.row + .row { margin-top: .75rem; }
.grow { flex: 1; }
.actions { display: flex; gap: .6rem; align-items: center; margin: 1rem 0; flex-wrap: wrap; }

.toolbar { display: flex; gap: .75rem; align-items: center; margin-bottom: .75rem; flex-wrap: wrap; }
.toolbar input[type=search] { flex: 1; min-width: 16rem; font-size: 1.05rem; padding: .55rem .75rem; }

table.grid { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
table.grid th, table.grid td { padding: .5rem .65rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.grid th { background: #f0f4f8; font-weight: 600; font-size: .85rem; color: var(--muted); white-space: nowrap; }
table.grid tbody tr:last-child td { border-bottom: none; }
table.grid tbody tr.clickable { cursor: pointer; }
table.grid tbody tr.clickable:hover { background: #f7fbf9; }
table.grid td.num { text-align: right; white-space: nowrap; }
table.grid .sub { display: block; color: var(--muted); font-size: .8rem; }
table.compact td, table.compact th { padding: .3rem .5rem; font-size: .9rem; }

.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .78rem; line-height: 1.5; margin: 0 .2rem .2rem 0; border: 1px solid transparent; white-space: nowrap; }
.b-neutral { background: #f0f4f8; color: #334e68; border-color: #d9e2ec; }
.b-green { background: var(--ok-bg); color: var(--ok); border-color: #abefc6; }
.b-blue { background: var(--info-bg); color: var(--info); border-color: #b2ddff; }
.b-cyan { background: #ecfdff; color: #0e7090; border-color: #a5f0fc; }
.b-purple { background: #f4f3ff; color: #5925dc; border-color: #d9d6fe; }
.b-red { background: var(--err-bg); color: var(--err); border-color: #fecdca; }
.b-amber { background: var(--warn-bg); color: var(--warn); border-color: #fedf89; }
.b-grey { background: #f2f4f7; color: #475467; border-color: #eaecf0; }

.notice { border-radius: 8px; padding: .7rem 1rem; margin: .75rem 0; border: 1px solid var(--line); background: var(--card); }
.notice.info { background: var(--info-bg); border-color: #b2ddff; }
.notice.ok { background: var(--ok-bg); border-color: #abefc6; color: #054f31; }
.notice.warn { background: var(--warn-bg); border-color: #fedf89; color: var(--warn); }
.notice.err { background: var(--err-bg); border-color: #fecdca; color: var(--err); }
.notice ul { margin: .3rem 0 0; padding-left: 1.2rem; }

dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.25rem; margin: 0; }
dl.fields dt { color: var(--muted); font-size: .9rem; }
dl.fields dd { margin: 0; }
@media (min-width: 960px) { dl.fields { grid-template-columns: max-content 1fr max-content 1fr; } }
#csv { min-height: 14rem; }
table.grid th.narrow { width: 5rem; }
.entry-head { display: flex; align-items: baseline; gap: .75rem; flex-wrap: wrap; }
.entry-head h1 { margin-bottom: .25rem; }

ol.history { list-style: none; padding: 0; margin: 0; }
ol.history > li { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1rem; margin-bottom: .75rem; }
ol.history .meta { display: flex; gap: .75rem; flex-wrap: wrap; align-items: baseline; }
ol.history .meta strong { font-size: 1.05rem; }
del.old { color: var(--err); background: var(--err-bg); text-decoration: line-through; padding: 0 .2rem; }
ins.new { color: var(--ok); background: var(--ok-bg); text-decoration: none; padding: 0 .2rem; }

.users { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr)); gap: .6rem; }
.users button { text-align: left; display: flex; flex-direction: column; gap: .1rem; padding: .6rem .8rem; border-radius: 8px; }
.users button .name { font-weight: 600; }
.users button .org { color: var(--muted); font-size: .85rem; }
.users button .id { color: var(--muted); font-size: .78rem; }

.picker { position: relative; flex: 1; min-width: 18rem; }
.picker input { width: 100%; }
.picker .options { position: absolute; z-index: 10; left: 0; right: 0; top: 100%; margin: .15rem 0 0; padding: .25rem 0; list-style: none; background: #fff; border: 1px solid #bcccdc; border-radius: 8px; box-shadow: 0 6px 18px rgba(15, 23, 42, .12); max-height: 22rem; overflow: auto; }
.picker .options > div { padding: .4rem .75rem; cursor: pointer; }
.picker [role=option]:hover, .picker [role=option].active { background: #eef6f2; }
.picker [role=option] .sub { color: var(--muted); font-size: .82rem; margin-left: .4rem; }

table.items input[type=number] { width: 5.5rem; }
table.items input.unit { width: 4rem; }
table.items tr.has-error td:first-child { box-shadow: inset 3px 0 0 var(--err); }
.field-error { border-color: var(--err) !important; background: var(--err-bg) !important; }

.findings .group { margin-bottom: .75rem; }
.findings .group h3 { margin: .5rem 0 .35rem; font-size: .95rem; }
.finding { display: grid; grid-template-columns: auto auto 1fr; gap: .2rem .6rem; align-items: baseline; padding: .45rem .7rem; border-radius: 8px; margin-bottom: .35rem; border-left: 4px solid; }
.finding.error { background: var(--err-bg); border-color: var(--err); }
.finding.warning { background: var(--warn-bg); border-color: #f79009; }
.finding .rule { font-weight: 600; }
.finding .source { grid-column: 3; color: var(--muted); font-size: .8rem; }
.summary-counts { display: flex; gap: .5rem; flex-wrap: wrap; margin: .5rem 0; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
.kv .mono { word-break: break-all; }
@media (max-width: 720px) {
  .topbar { padding: .5rem 1rem; }
  .topbar .who { width: 100%; justify-content: space-between; }
  main { padding: 1rem; }
  table.grid { display: block; overflow-x: auto; }
  table.grid td { min-width: 4.5rem; }
}
`;
