// A figure: a chart drawn by Chart.js beside the table it is drawn from. The table is the
// truth (screen readers read it, the CSV is built from the same rows); the canvas is a picture
// of it, hidden from assistive technology. Only the parts of Chart.js used are registered, so
// the bundle carries bar and line charts and nothing else.
import {
    BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController,
    LineElement, PointElement, Tooltip,
} from 'chart.js';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { html } from './html.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController,
    LineElement, PointElement, Legend, Tooltip);

// Colours with enough contrast on the console's white, told apart by more than hue.
const COLOURS = ['#1f5fa8', '#b3541e', '#2e7d32', '#6a3d9a'];

/** One dataset per series {label, values}; `type` bar or line. */
function ChartCanvas({ type, labels, series }) {
    const canvas = useRef(null);
    useEffect(() => {
        const chart = new Chart(canvas.current, {
            type,
            data: { labels, datasets: series.map((s, i) => ({ label: s.label, data: s.values,
                backgroundColor: COLOURS[i % COLOURS.length],
                borderColor: COLOURS[i % COLOURS.length], borderDash: i ? [6, 3] : [] })) },
            options: { animation: false, responsive: true, maintainAspectRatio: false,
                scales: { y: { beginAtZero: true } } },
        });
        return () => chart.destroy();
    }, [type, labels, series]);
    return html`<div class="chart" aria-hidden="true"><canvas ref=${canvas}></canvas></div>`;
}

/** A table: `columns` [{name, title, format?}], rows of plain objects; its caption names it. */
export function FigureTable({ caption, columns, rows }) {
    return html`
        <div class="table-scroll" tabindex="0" role="region" aria-label=${caption}>
        <table class="figures">
            <caption>${caption}</caption>
            <thead><tr>${columns.map((c) => html`<th scope="col">${c.title}</th>`)}</tr></thead>
            <tbody>${rows.map((row) => html`<tr>${columns.map((c, i) => i === 0
                ? html`<th scope="row">${show(c, row)}</th>` : html`<td>${show(c, row)}</td>`)}
            </tr>`)}</tbody>
        </table></div>`;
}

function show(column, row) {
    const value = row[column.name];
    if (column.format) return column.format(value, row);
    return value === null || value === undefined ? '–' : String(value);
}

/** A chart of `series` over the rows' labels, and the table beside it. */
export function Figure({ caption, type = 'bar', columns, rows, series }) {
    // Drawn again only when the rows change, not on every draw of the console.
    const labels = useMemo(() => rows.map((row) => row.label || row.key), [rows]);
    const drawn = useMemo(() => series.map((s) => ({ label: s.title,
        values: rows.map((r) => r[s.name] ?? 0) })), [rows]);
    return html`
        <figure class="figure">
            ${rows.length > 0 && html`<${ChartCanvas} type=${type} labels=${labels}
                series=${drawn} />`}
            <figcaption class="visually-hidden">${caption}</figcaption>
            ${rows.length === 0 ? html`<p class="empty">Nothing to show for ${caption}.</p>`
                : html`<${FigureTable} caption=${caption} columns=${columns} rows=${rows} />`}
        </figure>`;
}

/** Seconds as "3 min 07 s"; nothing for a figure left out. */
export function seconds(value) {
    if (value === null || value === undefined) return '–';
    const whole = Math.round(value);
    return whole < 60 ? `${whole} s`
        : `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** A number with at most `digits` decimals, "–" when absent. */
export function decimal(value, digits = 1) {
    if (value === null || value === undefined) return '–';
    return Number(value).toFixed(digits).replace(/\.0+$/, '');
}
