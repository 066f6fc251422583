/**
 * Figures of the report pages: a Chart.js chart (tree-shaken, bundled into the page's own
 * script, so no CDN), its data as an accessible table behind a toggle, and a CSV download
 * built from that same table in the browser (UTF-8 with a BOM, so Excel opens the Chinese
 * correctly). One model per figure: the table is what the chart draws and what the CSV holds.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { type Child, el } from "./dom";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

// Readable on a modest screen late in the day: larger type, no animation (nothing to wait for, less CPU).
Chart.defaults.font.size = 14;
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
Chart.defaults.color = "#1f2933";
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 14;

/** Colours that stay apart for the common colour-vision deficiencies and in greyscale print. */
export const COLOURS = {
  blue: "#1f5fbf",
  orange: "#c25400",
  green: "#0b6e4f",
  purple: "#6b3fa0",
  grey: "#52606d",
  band: "rgba(82, 96, 109, 0.22)",
} as const;

export type Cell = string | number;

export interface Table {
  columns: string[];
  /** the first cell of a row names it (a row header); number cells are right-aligned */
  rows: Cell[][];
}

export interface FigureSpec {
  id: string;
  title: string;
  /** one line under the title: what is counted, how */
  note?: Child;
  chart: ChartConfiguration | null;
  /** chart height in px (the width follows the card) */
  height?: number;
  table: Table;
  /** file name of the CSV, without extension */
  csvName: string;
  /** shown instead of the chart when there is nothing to draw */
  empty?: string;
}

/** RFC 4180 CSV with a UTF-8 BOM and CRLF line ends (what Excel on a clinic PC expects). */
export function toCsv(table: Table): string {
  const quote = (v: Cell) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  // a leading = + - @ would make a spreadsheet evaluate the cell as a formula
  const safe = (v: Cell) => (typeof v === "string" && /^[=+\-@]/.test(v) ? `'${v}` : v);
  const lines = [table.columns, ...table.rows].map((r) => r.map((v) => quote(safe(v))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = el("a", null);
  a.setAttribute("href", url);
  a.setAttribute("download", `${name}.csv`);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function th(text: Cell, scope: "col" | "row"): HTMLTableCellElement {
  const cell = el("th", { text });
  cell.setAttribute("scope", scope);
  return cell;
}

function tableOf(spec: FigureSpec): HTMLTableElement {
  return el(
    "table",
    { class: "grid report-table", id: `${spec.id}-table` },
    el("caption", { class: "visually-hidden", text: spec.title }),
    el("thead", null, el("tr", null, spec.table.columns.map((c) => th(c, "col")))),
    el(
      "tbody",
      null,
      spec.table.rows.map((r) =>
        el(
          "tr",
          null,
          r.map((v, i) => (i === 0 ? th(v, "row") : el("td", { class: typeof v === "number" ? "num" : null, text: v }))),
        ),
      ),
    ),
  );
}

/** A figure card: title, chart, 表格 toggle (aria-pressed, keyboard reachable as a button) and 下载 CSV. */
export function figure(spec: FigureSpec, charts: Chart[]): HTMLElement {
  const table = tableOf(spec);
  const tableBox = el("div", { class: "report-table-box", id: `${spec.id}-data`, hidden: true }, table);
  const canvas = el("canvas", { role: "img", "aria-label": `${spec.title}（图表；数据见表格）` });
  const chartBox = el("div", { class: "chart-box" }, canvas);
  chartBox.style.height = `${spec.height ?? 320}px`;
  const toggle = el("button", {
    type: "button",
    class: "table-toggle",
    "aria-pressed": "false",
    "aria-controls": `${spec.id}-data`,
    text: "显示表格",
    onclick: () => {
      const show = tableBox.hidden;
      tableBox.hidden = !show;
      toggle.setAttribute("aria-pressed", String(show));
      toggle.textContent = show ? "隐藏表格" : "显示表格";
    },
  });
  const csv = el("button", { type: "button", class: "csv", text: "下载 CSV", onclick: () => download(spec.csvName, toCsv(spec.table)) });
  const card = el(
    "section",
    { class: "card figure", id: spec.id, "aria-labelledby": `${spec.id}-title` },
    el("div", { class: "figure-head" }, el("h2", { id: `${spec.id}-title`, text: spec.title }), el("div", { class: "figure-actions no-print" }, toggle, csv)),
    spec.note ? el("p", { class: "muted small figure-note" }, spec.note) : null,
    spec.chart ? chartBox : el("p", { class: "notice info", text: spec.empty ?? "所选期间没有数据。" }),
    tableBox,
  );
  if (spec.chart) charts.push(new Chart(canvas, spec.chart));
  return card;
}

/** 0.9542 → 95.4 (a percentage for axes, tables and CSV). */
export const pct = (rate: number): number => Math.round(rate * 1000) / 10;
