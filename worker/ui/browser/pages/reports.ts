/**
 * /ui/reports (admins): 统计报表. The filters (month or a date range, institution level,
 * institution) live in the URL, so a view can be bookmarked, shared and reloaded. Each
 * figure is drawn from one report of the API (GET /reports/…, one D1 round trip each) and
 * carries its table and CSV (lib/charts.ts).
 */
import type { Chart } from "chart.js";
import { COLOURS, type Cell, type FigureSpec, figure, pct } from "../lib/charts";
import { api, byId, type ApiResult, clear, el, label, networkNotice, problemNotice, replace, requireLogin } from "../lib";
import { LABELS } from "../../labels";
import { CONCERN_IS_HIGH, chartedRows } from "./indicator-outliers";

// ---------- the report API's answers (worker/reports/reports.schemas.ts) ----------
type Level = keyof typeof LABELS.institutionLevel;
type Indicator = keyof typeof LABELS.indicator;
const INDICATORS: readonly Indicator[] = ["drugsPerPrescription", "antimicrobialShare", "injectionShare", "essentialShare", "genericShare", "vbpShare"];

interface ReviewCounts {
  sampled: number;
  reviewed: number;
  rational: number;
  non_standard: number;
  inappropriate: number;
  abnormal: number;
  rate: number;
}
interface QualificationGroup {
  key: string;
  label: string;
  reviewed: number;
  approved: number;
  rejected: number;
  rate: number;
  rejectedByCategory: { non_standard: number; inappropriate: number; abnormal: number; unspecified: number };
  review: ReviewCounts;
}
interface QualificationReport {
  from: string;
  to: string;
  total: Omit<QualificationGroup, "key" | "label">;
  groups: QualificationGroup[];
}
interface LongGroup {
  key: string;
  label: string;
  signed: number;
  longTerm: number;
  share: number;
  longTermMeanDays: number;
  longTermOver28Days: number;
}
interface LongReport {
  total: Omit<LongGroup, "key" | "label">;
  groups: LongGroup[];
}
interface StateCounts {
  total: number;
  byStatus: Record<string, number>;
}
interface OrdersReport {
  total: StateCounts;
  pharmacies: (StateCounts & { pharmacyId: string; pharmacyName: string })[];
}
interface Durations {
  count: number;
  medianHours: number;
  p90Hours: number;
  meanHours: number;
}
interface TurnaroundReport {
  total: { review: Durations; fulfilment: Durations };
  groups: { key: string; label: string; review: Durations; fulfilment: Durations }[];
}
type Indicators = { prescriptions: number; items: number } & Record<Indicator, number>;
type Quartiles = { p25: number; p50: number; p75: number };
type PeerStats = { count: number } & Record<Indicator, Quartiles>;
interface IndicatorsReport {
  total: Indicators;
  institutions: (Indicators & { key: string; label: string; level: string })[];
  doctors: (Indicators & { key: string; label: string; institutionId: string; institutionName: string })[];
  peers: { institutionsByLevel: Record<string, PeerStats>; doctors: PeerStats };
}
interface Institution {
  id: string;
  name: string;
  level: Level;
}

// ---------- page elements ----------
const msg = byId("msg", HTMLDivElement);
const form = byId("filters", HTMLFormElement);
const monthInput = byId("month", HTMLInputElement);
const fromInput = byId("from", HTMLInputElement);
const toInput = byId("to", HTMLInputElement);
const rangeBox = byId("range-box", HTMLDetailsElement);
const levelSelect = byId("level", HTMLSelectElement);
const institutionSelect = byId("institution", HTMLSelectElement);
const scopeLine = byId("scope", HTMLParagraphElement);
const summary = byId("summary", HTMLDivElement);
const figures = byId("figures", HTMLDivElement);
const charts: Chart[] = [];
let institutions: Institution[] = [];

// ---------- dates (China time) ----------
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const i = y * 12 + (m - 1) + by;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
}
const lastMonth = () => shiftMonth(chinaToday().slice(0, 7), -1);
const monthText = (month: string) => `${month.slice(0, 4)} 年 ${Number(month.slice(5, 7))} 月`;

interface Filters {
  month: string;
  from: string;
  to: string;
  level: string;
  institutionId: string;
}

function readUrl(): Filters {
  const q = new URLSearchParams(location.search);
  const month = q.get("month") ?? "";
  return {
    month: /^\d{4}-\d{2}$/.test(month) ? month : lastMonth(),
    from: q.get("from") ?? "",
    to: q.get("to") ?? "",
    level: q.get("level") ?? "",
    institutionId: q.get("institutionId") ?? "",
  };
}

/** The API query of the filters: the date range when both ends are given, else the month. */
function periodQuery(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.from && f.to) {
    q.set("from", f.from);
    q.set("to", f.to);
  } else q.set("month", f.month);
  if (f.level) q.set("level", f.level);
  if (f.institutionId) q.set("institutionId", f.institutionId);
  return q;
}

function periodText(f: Filters): string {
  return f.from && f.to ? `${f.from} 至 ${f.to}` : monthText(f.month);
}

function scopeText(f: Filters): string {
  const one = institutions.find((i) => i.id === f.institutionId);
  if (one) return one.name;
  return f.level ? `全部${label("institutionLevel", f.level)}` : "全部成员机构";
}

function fillInstitutions(level: string, selected: string): void {
  const keep = institutions.filter((i) => !level || i.level === level);
  replace(
    institutionSelect,
    el("option", { value: "", text: level ? `全部${label("institutionLevel", level)}` : "全部机构" }),
    keep.map((i) => el("option", { value: i.id, text: i.name, selected: i.id === selected })),
  );
}

/** Village clinics first, then townships, county, city: the order of the consortium's levels. */
const LEVEL_ORDER = Object.keys(LABELS.institutionLevel);
function byLevel<T extends { key: string }>(rows: T[]): T[] {
  const rank = (key: string) => {
    const i = LEVEL_ORDER.indexOf(institutions.find((x) => x.id === key)?.level ?? "");
    return i < 0 ? LEVEL_ORDER.length : i;
  };
  return [...rows].sort((a, b) => rank(a.key) - rank(b.key));
}

// ---------- figures ----------
const pctAxis = { min: 0, max: 100, ticks: { callback: (v: string | number) => `${v}%` } };
const hoursText = (h: number) => (h < 1 ? `${Math.round(h * 60)} 分钟` : `${h.toFixed(1)} 小时`);
/** Institution names are long (石门乡枫林村卫生室): wrap them onto two lines under a bar. */
const wrapLabel = (s: string) => (s.length > 7 ? [s.slice(0, Math.ceil(s.length / 2)), s.slice(Math.ceil(s.length / 2))] : s);

function qualificationFigure(r: QualificationReport, rows: QualificationGroup[], id: string, title: string, byMonth: boolean): FigureSpec {
  const names = rows.map((g) => (byMonth ? monthText(g.key) : g.label));
  return {
    id,
    title,
    note: "审核合格率 = 药师首次审核通过的处方 / 审核的处方（每张处方计一次）；点评合格率 = 合理处方 / 已点评处方（处方点评月度抽样）。",
    csvName: `${id}-${r.from}-${r.to}`,
    chart: rows.some((g) => g.reviewed > 0 || g.review.reviewed > 0)
      ? {
          type: byMonth ? "line" : "bar",
          data: {
            // under each institution its figures in words: a tired eye reads "审核 85.7%" faster than a bar's height
            labels: byMonth
              ? names
              : rows.map((g, i) => [...[wrapLabel(names[i] ?? g.key)].flat(), `审核 ${g.reviewed ? `${pct(g.rate)}%` : "—"} · 点评 ${g.review.reviewed ? `${pct(g.review.rate)}%` : "—"}`]),
            datasets: [
              { label: "审核合格率", data: rows.map((g) => (g.reviewed ? pct(g.rate) : null)), backgroundColor: COLOURS.blue, borderColor: COLOURS.blue, spanGaps: true },
              {
                label: "点评合格率",
                data: rows.map((g) => (g.review.reviewed ? pct(g.review.rate) : null)),
                backgroundColor: COLOURS.orange,
                borderColor: COLOURS.orange,
                borderDash: byMonth ? [6, 4] : undefined,
                spanGaps: true,
              },
            ],
          },
          options: { scales: { y: pctAxis }, plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}：${c.parsed.y}%` } } } },
        }
      : null,
    empty: "所选期间没有审核或点评记录。",
    table: {
      columns: [byMonth ? "月份" : "机构", "审核处方", "审核通过", "审核不通过", "审核合格率(%)", "点评抽样", "已点评", "合理", "不规范", "用药不适宜", "超常", "点评合格率(%)"],
      rows: rows.map((g, i) => [
        names[i] ?? g.key,
        g.reviewed,
        g.approved,
        g.rejected,
        g.reviewed ? pct(g.rate) : "—",
        g.review.sampled,
        g.review.reviewed,
        g.review.rational,
        g.review.non_standard,
        g.review.inappropriate,
        g.review.abnormal,
        g.review.reviewed ? pct(g.review.rate) : "—",
      ]),
    },
  };
}

function longFigure(r: LongReport, period: string): FigureSpec {
  const rows = byLevel(r.groups);
  return {
    id: "long-rx",
    title: "长期处方占比与平均天数",
    note: "签署的处方中长期处方所占比例（柱，左轴），长期处方的平均用药天数（点，右轴）。",
    csvName: `long-prescriptions-${period}`,
    chart: rows.some((g) => g.longTerm > 0)
      ? {
          type: "bar",
          data: {
            labels: rows.map((g) => [...[wrapLabel(g.label)].flat(), g.longTerm ? `${pct(g.share)}% · ${g.longTermMeanDays} 天` : "无长期处方"]),
            datasets: [
              { type: "bar", label: "长期处方占比", data: rows.map((g) => pct(g.share)), backgroundColor: COLOURS.green, yAxisID: "y" },
              {
                type: "line",
                label: "平均天数",
                data: rows.map((g) => (g.longTerm ? g.longTermMeanDays : null)),
                borderColor: COLOURS.purple,
                backgroundColor: COLOURS.purple,
                showLine: false,
                pointRadius: 6,
                pointStyle: "rectRot",
                yAxisID: "days",
              },
            ],
          },
          options: {
            scales: {
              y: pctAxis,
              days: { position: "right", min: 0, suggestedMax: 84, title: { display: true, text: "天" }, grid: { drawOnChartArea: false } },
            },
          },
        }
      : null,
    empty: "所选期间没有长期处方（各机构的签署处方数见表格）。",
    table: {
      columns: ["机构", "签署处方", "长期处方", "长期处方占比(%)", "平均天数", "超过 4 周"],
      rows: rows.map((g) => [g.label, g.signed, g.longTerm, pct(g.share), g.longTerm ? g.longTermMeanDays : "—", g.longTermOver28Days]),
    },
  };
}

/** Statuses in the order an order moves through them; the ones nobody reached are left out. */
const STATUS_ORDER = Object.keys(LABELS.orderStatus);

function ordersFigure(r: OrdersReport, period: string): FigureSpec {
  const statuses = STATUS_ORDER.filter((s) => (r.total.byStatus[s] ?? 0) > 0);
  return {
    id: "orders",
    title: "订单状态",
    note: "所选期间创建的订单（分次发药每次一单）按当前状态计数。",
    csvName: `orders-by-state-${period}`,
    height: 260,
    chart: r.total.total
      ? {
          type: "bar",
          data: {
            labels: statuses.map((s) => label("orderStatus", s)),
            datasets: [{ label: "订单数", data: statuses.map((s) => r.total.byStatus[s] ?? 0), backgroundColor: COLOURS.blue }],
          },
          options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
        }
      : null,
    empty: "所选期间没有订单。",
    table: {
      columns: ["药房", "合计", ...statuses.map((s) => label("orderStatus", s))],
      rows: [
        ...r.pharmacies.filter((p) => p.total > 0).map((p): Cell[] => [p.pharmacyName, p.total, ...statuses.map((s) => p.byStatus[s] ?? 0)]),
        ["合计", r.total.total, ...statuses.map((s) => r.total.byStatus[s] ?? 0)],
      ],
    },
  };
}

function turnaroundFigure(r: TurnaroundReport, period: string, which: "review" | "fulfilment"): FigureSpec {
  const rows = byLevel(r.groups.filter((g) => g[which].count > 0));
  const title = which === "review" ? "审核用时（从待审核到审核完成）" : "取药 / 送达用时（从审核通过到患者拿到药）";
  return {
    id: `turnaround-${which}`,
    title,
    note: which === "review" ? "每个订单一次；中位数：一半的订单在此时间内完成；P90：九成的订单在此时间内完成。" : "自取：审核通过到取走；配送：审核通过到送达。",
    csvName: `turnaround-${which}-${period}`,
    chart: rows.length
      ? {
          type: "bar",
          data: {
            labels: rows.map((g) => wrapLabel(g.label)),
            datasets: [
              { label: "中位数", data: rows.map((g) => g[which].medianHours), backgroundColor: COLOURS.blue },
              { label: "P90", data: rows.map((g) => g[which].p90Hours), backgroundColor: COLOURS.orange },
            ],
          },
          options: {
            scales: { y: { beginAtZero: true, title: { display: true, text: "小时" } } },
            plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}：${hoursText(c.parsed.y ?? 0)}` } } },
          },
        }
      : null,
    empty: "所选期间没有完成的订单。",
    table: {
      columns: ["机构", "订单数", "中位数(小时)", "P90(小时)", "平均(小时)"],
      rows: [
        ...rows.map((g): Cell[] => [g.label, g[which].count, g[which].medianHours, g[which].p90Hours, g[which].meanHours]),
        ["全部", r.total[which].count, r.total[which].medianHours, r.total[which].p90Hours, r.total[which].meanHours],
      ],
    },
  };
}

/** An indicator as shown: drugs per prescription as it is, the shares as percentages. */
const shown = (k: Indicator, v: number) => (k === "drugsPerPrescription" ? v : pct(v));
const unit = (k: Indicator) => (k === "drugsPerPrescription" ? "种" : "%");

/**
 * One indicator for institutions or doctors: each one's value (bar) against its peers'
 * interquartile range (grey band) and median (dark line mark).
 */
function indicatorFigure(
  id: string,
  title: string,
  k: Indicator,
  rows: (Indicators & { key: string; label: string })[],
  peersOf: (row: { key: string }) => PeerStats | undefined,
  period: string,
  peerName: string,
  extraColumns: { name: string; value: (row: { key: string }) => Cell }[],
): FigureSpec {
  const { rows: active, of, cut } = chartedRows(rows, k);
  const q = (r: { key: string }) => peersOf(r)?.[k];
  const noun = peerName.endsWith("医师") ? "位医师" : "家机构";
  const which = cut ? `图中只画${LABELS.indicator[k]}${CONCERN_IS_HIGH[k] ? "最高" : "最低"}的 ${active.length} ${noun}（共 ${of} ${noun}），全部见表格。` : "";
  return {
    id,
    title,
    note: `${LABELS.indicatorHelp[k]} 灰色带：${peerName}的 P25–P75；黑色竖线：${peerName}的中位数。${which}`,
    csvName: `${id}-${period}`,
    // two text lines per bar (name, value): room for both on every row
    height: Math.max(220, 90 + 46 * active.length),
    chart: active.length
      ? {
          type: "bar",
          data: {
            labels: active.map((r) => [r.label, `${shown(k, r[k])}${unit(k)}（中位 ${shown(k, q(r)?.p50 ?? 0)}${unit(k)}）`]),
            datasets: [
              { label: `本${peerName.endsWith("医师") ? "医师" : "机构"}`, data: active.map((r) => shown(k, r[k])), backgroundColor: COLOURS.blue, order: 2, barPercentage: 0.55 },
              {
                label: `${peerName} P25–P75`,
                data: active.map((r): [number, number] => [shown(k, q(r)?.p25 ?? 0), shown(k, q(r)?.p75 ?? 0)]),
                backgroundColor: COLOURS.band,
                order: 3,
                grouped: false,
                barPercentage: 0.95,
              },
              {
                // the median as a thin black bar across the band (a floating bar: no second axis to keep aligned)
                label: `${peerName}中位数`,
                data: active.map((r): [number, number] => {
                  const mid = shown(k, q(r)?.p50 ?? 0);
                  const half = k === "drugsPerPrescription" ? 0.02 : 0.4;
                  return [Math.max(0, mid - half), mid + half];
                }),
                backgroundColor: "#111",
                order: 1,
                grouped: false,
                barPercentage: 0.95,
              },
            ],
          },
          options: {
            indexAxis: "y",
            // the legend in the datasets' order (本机构 first), not in their drawing order
            plugins: { legend: { labels: { sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0) } } },
            scales: {
              x: k === "drugsPerPrescription" ? { beginAtZero: true, title: { display: true, text: "种/张" } } : pctAxis,
            },
          },
        }
      : null,
    table: {
      columns: ["名称", ...extraColumns.map((c) => c.name), "处方数", ...INDICATORS.map((i) => `${LABELS.indicator[i]}(${unit(i)})`), `${LABELS.indicator[k]} ${peerName} P25`, "P50", "P75"],
      rows: rows.map((r) => [
        r.label,
        ...extraColumns.map((c) => c.value(r)),
        r.prescriptions,
        ...INDICATORS.map((i) => (r.prescriptions ? shown(i, r[i]) : "—")),
        shown(k, q(r)?.p25 ?? 0),
        shown(k, q(r)?.p50 ?? 0),
        shown(k, q(r)?.p75 ?? 0),
      ]),
    },
  };
}

function tile(title: string, value: string, sub: string): HTMLElement {
  return el("div", { class: "tile" }, el("div", { class: "tile-title", text: title }), el("div", { class: "tile-value", text: value }), el("div", { class: "tile-sub muted small", text: sub }));
}

// ---------- loading ----------
async function get<T>(path: string, q: URLSearchParams): Promise<ApiResult<T>> {
  return api<T>("GET", `${path}?${q}`);
}

let indicator: Indicator = "antimicrobialShare";
let latest: { f: Filters; indicators: IndicatorsReport } | null = null;

async function load(f: Filters): Promise<void> {
  const q = periodQuery(f);
  const period = f.from && f.to ? `${f.from}_${f.to}` : f.month;
  const lastOfTrend = f.from && f.to ? f.to.slice(0, 7) : f.month;
  const trend = new URLSearchParams(q);
  trend.delete("month");
  trend.set("from", `${shiftMonth(lastOfTrend, -5)}-01`);
  trend.set("to", f.from && f.to ? f.to : `${shiftMonth(f.month, 1)}-01`);
  // the trend ends on the last day of the chosen month: the day before the next month's first
  if (!(f.from && f.to)) trend.set("to", new Date(Date.parse(`${shiftMonth(f.month, 1)}-01T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
  trend.set("groupBy", "month");
  const byInstitution = new URLSearchParams(q);
  byInstitution.set("groupBy", "institution");
  replace(scopeLine, el("strong", { text: `${periodText(f)} · ${scopeText(f)}` }), "　正在加载…");
  let answers: [ApiResult<QualificationReport>, ApiResult<QualificationReport>, ApiResult<LongReport>, ApiResult<OrdersReport>, ApiResult<TurnaroundReport>, ApiResult<IndicatorsReport>];
  try {
    answers = await Promise.all([
      get<QualificationReport>("/reports/qualification-rate", byInstitution),
      get<QualificationReport>("/reports/qualification-rate", trend),
      get<LongReport>("/reports/long-prescriptions", byInstitution),
      get<OrdersReport>("/reports/orders-by-state", q),
      get<TurnaroundReport>("/reports/turnaround", byInstitution),
      get<IndicatorsReport>("/reports/prescribing-indicators", q),
    ]);
  } catch {
    replace(msg, networkNotice());
    replace(scopeLine, "");
    return;
  }
  const [a1, a2, a3, a4, a5, a6] = answers;
  if (!a1.ok || !a2.ok || !a3.ok || !a4.ok || !a5.ok || !a6.ok) {
    const failed = answers.find((a) => !a.ok) ?? a1;
    replace(msg, problemNotice(failed));
    replace(scopeLine, "");
    return;
  }
  const [quality, qualityTrend, long, states, turnaround, indicators] = [a1.body, a2.body, a3.body, a4.body, a5.body, a6.body];
  clear(msg);
  replace(scopeLine, el("strong", { text: `${periodText(f)} · ${scopeText(f)}` }), `　（${quality.from} 至 ${quality.to}，中国时间）`);
  const t = quality.total;
  replace(
    summary,
    tile("处方", String(indicators.total.prescriptions), `平均每张 ${indicators.total.drugsPerPrescription} 种药`),
    tile("审核合格率", t.reviewed ? `${pct(t.rate)}%` : "—", `审核 ${t.reviewed} 张，不通过 ${t.rejected} 张`),
    tile("点评合格率", t.review.reviewed ? `${pct(t.review.rate)}%` : "—", t.review.sampled ? `抽样 ${t.review.sampled} 张，已点评 ${t.review.reviewed} 张` : "本期尚未点评（点评在月后进行，见近 6 个月图）"),
    tile("抗菌药物使用率", indicators.total.prescriptions ? `${pct(indicators.total.antimicrobialShare)}%` : "—", "含抗菌药物的处方占比"),
    tile("审核用时中位数", turnaround.total.review.count ? hoursText(turnaround.total.review.medianHours) : "—", `P90 ${turnaround.total.review.count ? hoursText(turnaround.total.review.p90Hours) : "—"}`),
  );
  latest = { f, indicators };
  for (const c of charts.splice(0)) c.destroy();
  replace(
    figures,
    figure(qualificationFigure(quality, byLevel(quality.groups), "quality-institution", "处方合格率（按机构）", false), charts),
    figure(qualificationFigure(qualityTrend, qualityTrend.groups, "quality-month", "处方合格率（近 6 个月）", true), charts),
    indicatorSection(),
    figure(longFigure(long, period), charts),
    figure(ordersFigure(states, period), charts),
    figure(turnaroundFigure(turnaround, period, "review"), charts),
    figure(turnaroundFigure(turnaround, period, "fulfilment"), charts),
  );
}

/** The prescribing-indicator figures, redrawn when another indicator is chosen. */
function indicatorSection(): HTMLElement {
  const box = el("div", { id: "indicators" });
  drawIndicators(box);
  return box;
}

function drawIndicators(box: HTMLElement): void {
  if (!latest) return;
  const { indicators } = latest;
  const period = latest.f.from && latest.f.to ? `${latest.f.from}_${latest.f.to}` : latest.f.month;
  // keep the other figures' charts; replace only this section's
  for (const canvas of box.querySelectorAll("canvas")) {
    const at = charts.findIndex((c) => c.canvas === canvas);
    if (at >= 0) charts.splice(at, 1)[0]?.destroy();
  }
  const select = el(
    "select",
    {
      id: "indicator",
      onchange: () => {
        indicator = INDICATORS.find((i) => i === select.value) ?? indicator;
        drawIndicators(box);
        byId("indicator", HTMLSelectElement).focus();
      },
    },
    INDICATORS.map((i) => el("option", { value: i, text: LABELS.indicator[i], selected: i === indicator })),
  );
  const levelOf = new Map(indicators.institutions.map((i) => [i.key, i.level]));
  replace(
    box,
    el("div", { class: "card indicator-picker no-print" }, el("label", null, "合理用药指标（WHO/INRUD）：", select), el("span", { class: "muted small", text: "　每个指标对照同级机构或全体医师的四分位数。" })),
    figure(
      indicatorFigure(
        "indicators-institution",
        `${LABELS.indicator[indicator]}（按机构，对照同级机构）`,
        indicator,
        byLevel(indicators.institutions),
        (r) => indicators.peers.institutionsByLevel[levelOf.get(r.key) ?? ""],
        period,
        "同级机构",
        [{ name: "级别", value: (r) => label("institutionLevel", levelOf.get(r.key) ?? "") }],
      ),
      charts,
    ),
    figure(
      indicatorFigure(
        "indicators-doctor",
        `${LABELS.indicator[indicator]}（按医师，对照全体医师）`,
        indicator,
        indicators.doctors,
        () => indicators.peers.doctors,
        period,
        "全体医师",
        [{ name: "机构", value: (r) => indicators.doctors.find((d) => d.key === r.key)?.institutionName ?? "" }],
      ),
      charts,
    ),
  );
}

// ---------- start ----------
async function start(): Promise<void> {
  if (!requireLogin(msg, ["admin"])) {
    form.hidden = true;
    return;
  }
  const f = readUrl();
  monthInput.value = f.month;
  monthInput.max = chinaToday().slice(0, 7);
  fromInput.value = f.from;
  toInput.value = f.to;
  rangeBox.open = Boolean(f.from && f.to);
  levelSelect.value = f.level;
  const res = await api<{ items: Institution[] }>("GET", "/institutions?limit=100").catch(() => null);
  institutions = res?.ok ? res.body.items : [];
  fillInstitutions(f.level, f.institutionId);
  await load(f);
}

levelSelect.addEventListener("change", () => fillInstitutions(levelSelect.value, ""));
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const f: Filters = {
    month: monthInput.value || lastMonth(),
    from: rangeBox.open ? fromInput.value : "",
    to: rangeBox.open ? toInput.value : "",
    level: levelSelect.value,
    institutionId: institutionSelect.value,
  };
  const q = periodQuery(f);
  history.pushState(null, "", `?${q}`);
  void load(f);
});
window.addEventListener("popstate", () => void start());
// on paper every table is expanded too (app.css): a chart may be hard to read in greyscale, the numbers are not
byId("print", HTMLButtonElement).addEventListener("click", () => window.print());
window.addEventListener("beforeprint", () => {
  for (const c of charts) c.resize(640, c.canvas.parentElement?.clientHeight ?? 320);
});
window.addEventListener("afterprint", () => {
  for (const c of charts) c.resize();
});

void start();
