// A figure: a chart drawn by uPlot beside the table it is drawn from. The table is the truth
// (screen readers read it, the CSV is built from the same rows); the canvas is a picture of
// it, hidden from assistive technology, with no legend or cursor of its own. uPlot draws
// lines; bars are its bars path builder over the rows' indexes, labelled by their keys.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { html } from './html.js';

// Colours with enough contrast on the console's white; the second series is also dashed.
const COLOURS = ['#1f5fa8', '#b3541e', '#2e7d32', '#6a3d9a'];
const HEIGHT = 220;
// Steps between labelled keys: every one when they fit, else every 2nd, 3rd, … 24th.
const STEPS = [1, 2, 3, 4, 6, 8, 12, 24, 48];

function seriesOptions(type, series, count) {
    const bars = uPlot.paths.bars({ size: [0.7, 60] });
    return series.map((s, i) => ({
        label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2,
        // A bar chart's first series is the bars; the next ones are lines over them.
        ...(type === 'bar' && i === 0 ? { paths: bars, fill: `${COLOURS[0]}cc` }
            : { dash: i ? [6, 3] : undefined }),
        // Points only where they can be told apart (not on a week of hours).
        points: { show: count <= 31 && (type === 'line' || i > 0) },
    }));
}

function options(type, labels, series, width) {
    return {
        width, height: HEIGHT, legend: { show: false }, cursor: { show: false },
        scales: { x: { time: false, range: [-0.5, labels.length - 0.5] },
            y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{ incrs: STEPS, space: 80, values: (u, splits) => splits.map(
            (i) => (Number.isInteger(i) ? labels[i] ?? '' : '')) }, {}],
        series: [{}, ...seriesOptions(type, series, labels.length)],
    };
}

/** One series per {label, values}; `type` bar or line. */
function ChartCanvas({ type, labels, series }) {
    const box = useRef(null);
    useEffect(() => {
        const data = [labels.map((_, i) => i), ...series.map((s) => s.values)];
        const plot = new uPlot(options(type, labels, series, box.current.clientWidth || 600),
            data, box.current);
        // The chart follows its box's width: the console is used from 420 px up.
        const resized = new ResizeObserver(() => plot.setSize({
            width: box.current.clientWidth, height: HEIGHT }));
        resized.observe(box.current);
        return () => {
            resized.disconnect();
            plot.destroy();
        };
    }, [type, labels, series]);
    return html`<div class="chart" aria-hidden="true" ref=${box}></div>`;
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
        values: rows.map((r) => r[s.name] ?? null) })), [rows]);
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
    return String(Number(Number(value).toFixed(digits))); // 20.5, not 20.50
}
