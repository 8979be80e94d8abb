// Reports: a library's chats (at its own stats component) or a co-op's (at its registry),
// scoped by the component from who asks (a Regular, the chats they answered; admins more),
// filtered by dates, co-op, widget and institution, counted in the browser's time zone. Each
// table is drawn as a chart beside the table itself, and the rows download as CSV.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { download, toCsv } from '../export.js';
import { askStats, browserZone, dayInput, readReport } from '../statsask.js';
import { decimal, Figure, seconds } from './chart.js';
import { attempt, html } from './html.js';
import { libraries } from './names.js';

export const KINDS = [
    { id: 'distributions', title: 'Distributions' },
    { id: 'sources', title: 'Browser/OS & Referrer' },
    { id: 'staff', title: 'Clients/Staff' },
];
// Each table: its caption, chart and the title of its key column.
const TABLES = {
    month: ['By month', 'line', 'Month'], weekday: ['By day of week', 'bar', 'Day'],
    hour: ['By hour of day', 'line', 'Hour'],
    'day-hour': ['By day and hour', 'line', 'Day and hour'],
    source: ['By page asked from', 'bar', 'Page'], browser: ['By browser', 'bar', 'Browser'],
    os: ['By operating system', 'bar', 'Operating system'], device: ['By device', 'bar', 'Device'],
    user: ['By librarian', 'bar', 'Librarian'], institution: ['By institution', 'bar',
        'Institution'],
};
const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday',
    'Sunday'];
const FIGURES = [
    { name: 'chats', title: 'Chats' },
    { name: 'answered', title: 'Answered' }, { name: 'wait', title: 'Mean wait',
        format: seconds }, { name: 'duration', title: 'Mean duration', format: seconds },
    { name: 'ratings', title: 'Ratings' }, { name: 'rating', title: 'Mean rating',
        format: (v) => decimal(v, 2) },
];
const SERIES = [{ name: 'chats', title: 'Chats' }, { name: 'answered', title: 'Answered' }];
export const CSV_COLUMNS = ['table', 'key', 'label', 'chats', 'answered', 'wait', 'duration',
    'ratings', 'rating'];
const SCOPES = { mine: 'the chats you answered', institution: "your institution's chats",
    library: "all of your library's patrons' chats", coop: "all of the co-op's chats" };

function initial() {
    return { kind: 'distributions', where: '', from: dayInput(30), to: dayInput(0), coop: '',
        widget: '', institution: '' };
}

/** Where a report is asked: '' the own library's stats component, else a co-op's id. */
function places(desk) {
    const own = desk.trust.ownStats() ? [{ id: '', title: `My library (${
        desk.config.libraryName})` }] : [];
    return [...own, ...(desk.info?.coops || []).map((coop) => ({ id: coop.id,
        title: `Co-op: ${coop.name}` }))];
}

function request(desk, search) {
    const coop = (desk.info?.coops || []).find((c) => c.id === search.where);
    const to = coop ? desk.trust.registryOf(coop) : desk.trust.ownStats();
    if (!to) throw new Error('Choose where to report on.');
    return { to, attrs: { kind: search.kind, from: search.from, to: search.to,
        zone: browserZone(), coop: coop ? coop.id : search.coop, widget: search.widget.trim(),
        institution: search.institution } };
}

/** Rows as shown: a weekday's name, a librarian's nick beside their address. */
function labelled(table) {
    return table.rows.map((row) => ({ ...row, label: rowLabel(table.name, row) }));
}

function rowLabel(name, row) {
    if (name === 'weekday') return WEEKDAYS[Number(row.key)] || row.key;
    if (name === 'day-hour') {
        const [day, hour] = row.key.split('-');
        return `${(WEEKDAYS[Number(day)] || day).slice(0, 3)} ${hour}:00`;
    }
    if (name === 'user' && row.label) return `${row.label} (${row.key})`;
    return row.label || row.key;
}

function Reports({ desk }) {
    const [search, setSearch] = useState(() => ({ ...initial(), where: places(desk)[0]?.id
        ?? '' }));
    const [report, setReport] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    const run = (event) => attempt(setError, async () => {
        event?.preventDefault();
        setBusy(true);
        try {
            const { to, attrs } = request(desk, search);
            const answer = readReport(await askStats(desk, to, 'get', 'report', attrs));
            setReport({ ...answer, received: performance.now(), asked: search });
            desk.say(`Report ready: ${answer.chats} chats.`);
        } finally {
            setBusy(false);
        }
    });
    useEffect(() => { run(); }, []);
    return html`
        <section class="reports" aria-labelledby="reports-heading">
            <h2 id="reports-heading">Reports</h2>
            <${Filters} desk=${desk} search=${search} setSearch=${setSearch} busy=${busy}
                onRun=${run} />
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${report ? html`<${Results} report=${report} />`
                : !error && html`<p class="empty">Loading…</p>`}
        </section>`;
}

function Filters({ desk, search, setSearch, busy, onRun }) {
    const field = (name) => ({ id: `report-${name}`, value: search[name],
        onInput: (event) => setSearch({ ...search, [name]: event.currentTarget.value }) });
    const atLibrary = search.where === '' && desk.trust.ownStats();
    return html`
        <form class="search" aria-label="Report filters" onSubmit=${onRun}>
            <div class="field"><label for="report-kind">Report</label>
                <select ...${field('kind')}>${KINDS.map((k) => html`
                    <option value=${k.id}>${k.title}</option>`)}</select></div>
            <div class="field"><label for="report-where">Chats of</label>
                <select ...${field('where')}>${places(desk).map((p) => html`
                    <option value=${p.id}>${p.title}</option>`)}</select></div>
            <div class="field"><label for="report-from">From</label>
                <input type="date" required ...${field('from')} /></div>
            <div class="field"><label for="report-to">To</label>
                <input type="date" required ...${field('to')} /></div>
            ${atLibrary && html`<div class="field"><label for="report-coop">Co-op</label>
                <select ...${field('coop')}><option value="">Any</option>
                    ${(desk.info?.coops || []).map((coop) => html`
                        <option value=${coop.id}>${coop.name}</option>`)}</select></div>`}
            <div class="field"><label for="report-widget">Widget</label>
                <input type="text" placeholder="widget id" maxLength="64"
                    ...${field('widget')} /></div>
            <div class="field"><label for="report-institution">Institution</label>
                <select ...${field('institution')}><option value="">Any</option>
                    ${[...libraries(desk)].map(([domain, name]) => html`
                        <option value=${domain}>${name}</option>`)}</select></div>
            <div class="actions"><button type="submit" disabled=${busy}>Show report</button>
            </div>
        </form>`;
}

function Results({ report }) {
    const shown = useRef(null);
    // How long the figures took to draw after the answer came: kept on the page, where the
    // browser tests read it (the issue asks for under a second).
    useEffect(() => {
        shown.current.dataset.renderMs = String(Math.round(performance.now() - report.received));
    }, [report]);
    // Once per answer: the charts are drawn again only when their rows change.
    const tables = useMemo(() => report.tables.map((table) => ({ ...table,
        rows: labelled(table) })), [report]);
    const save = () => download(`report-${report.kind}-${report.asked.from}-${
        report.asked.to}.csv`, 'text/csv', toCsv(tables.flatMap((table) => table.rows.map(
        (row) => ({ ...row, table: table.name, label: row.label }))), CSV_COLUMNS));
    return html`
        <div class="report" ref=${shown} data-chats=${report.chats}>
            <h3 id="report-heading" tabindex="-1">${KINDS.find((k) => k.id === report.kind)
                ?.title || report.kind}</h3>
            <p aria-live="polite">${report.chats} chats, ${SCOPES[report.scope] || 'as scoped'
                }, from ${report.asked.from} to ${report.asked.to}.</p>
            <div class="actions"><button type="button" onClick=${save}>Download CSV</button>
            </div>
            ${tables.map((table) => {
                const [caption, type, key] = TABLES[table.name] || [table.name, 'bar', 'Key'];
                return html`<${Figure} key=${`${report.received} ${table.name}`}
                    caption=${caption} type=${type} rows=${table.rows} series=${SERIES}
                    columns=${[{ name: 'label', title: key }, ...FIGURES]} />`;
            })}
        </div>`;
}

export default {
    id: 'reports',
    title: 'Reports',
    label: () => 'Reports',
    // Every librarian: of their library's patrons (stats.<library>) or of their co-ops.
    shown: (desk) => Boolean(desk.trust.ownStats()) || (desk.info?.coops || []).length > 0,
    view: Reports,
};
