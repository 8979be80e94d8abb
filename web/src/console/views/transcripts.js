// Transcripts: the chats the librarian may see, gathered from the archive of their own library
// and of every member library of their co-ops (each archive decides who sees what), merged
// newest first, searched and paged; one opens beside the list. Exported as CSV or JSON.
import { useEffect, useState } from 'preact/hooks';
import { download, toCsv, toJson } from '../export.js';
import { Gathering } from '../gather.js';
import { attempt, html } from './html.js';
import { libraries, when } from './names.js';
import { Transcript } from './transcript.js';

const EMPTY = { from: '', to: '', librarian: '', institution: '', widget: '', coop: '',
    rating: '', text: '' };

function Transcripts({ desk }) {
    const [search, setSearch] = useState(EMPTY);
    const [gathering, setGathering] = useState(null);
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState('');
    // The transcript shown: a row, or the chat of a ticket opened from Tickets.
    const [open, setOpen] = useState(() => {
        const asked = desk.openTranscript || null;
        desk.openTranscript = null;
        return asked;
    });
    const [, setDrawn] = useState(0);
    const redraw = () => setDrawn((n) => n + 1);
    const run = (what) => attempt(setError, async () => {
        setBusy(true);
        try {
            await what();
        } finally {
            setBusy(false);
            redraw();
        }
    });
    const find = (fields) => run(async () => {
        const next = new Gathering(desk, desk.trust.archives(), fields);
        await next.start();
        setGathering(next);
        desk.say(`${next.rows().length} transcripts found.`);
    });
    useEffect(() => { find(EMPTY); }, []);
    const rows = gathering ? gathering.rows() : [];
    const names = libraries(desk);
    const forget = (row) => {
        for (const source of gathering.sources) {
            source.rows = source.rows.filter((r) => r !== row);
        }
        setOpen(null);
        desk.focusOn('#results-heading');
        redraw();
    };
    const shown = open && (rows.find((row) => row.library === open.library && row.id === open.id)
        || (open.patron !== undefined ? open : null));
    return html`
        <section class="transcripts" aria-labelledby="transcripts-heading">
            <h2 id="transcripts-heading">Transcripts</h2>
            <${Search} desk=${desk} search=${search} setSearch=${setSearch} busy=${busy}
                onSearch=${() => find(search)}
                onClear=${() => { setSearch(EMPTY); find(EMPTY); }} />
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${gathering?.failed.length > 0 && html`<p class="error">${'Not reachable now: '
                + gathering.failed.map((jid) => names.get(jid.replace(/^archive\./, ''))
                    || jid).join(', ')}. The others are listed.</p>`}
            <${Results} desk=${desk} rows=${rows} gathering=${gathering} busy=${busy}
                open=${shown} onOpen=${(row) => setOpen({ library: row.library, id: row.id })}
                onMore=${() => run(() => gathering.more())} />
        </section>
        ${shown && html`<${Transcript} key=${`${shown.library} ${shown.id}`} desk=${desk}
            row=${shown} onDeleted=${() => forget(shown)} onChanged=${(chat) => {
                Object.assign(shown, { feedback: chat.feedback.length });
                redraw();
            }} onClose=${() => setOpen(null)} />`}`;
}

function Search({ desk, search, setSearch, busy, onSearch, onClear }) {
    const field = (name) => ({
        id: `search-${name}`,
        value: search[name],
        onInput: (event) => setSearch({ ...search, [name]: event.currentTarget.value }),
    });
    const submit = (event) => {
        event.preventDefault();
        onSearch();
    };
    return html`
        <form class="search" role="search" aria-label="Search transcripts" onSubmit=${submit}>
            <div class="field wide"><label for="search-text">Text</label>
                <input type="search" maxLength="200" ...${field('text')} /></div>
            <div class="field"><label for="search-from">From</label>
                <input type="date" ...${field('from')} /></div>
            <div class="field"><label for="search-to">To</label>
                <input type="date" ...${field('to')} /></div>
            <div class="field"><label for="search-librarian">Librarian</label>
                <input type="text" placeholder="name@library" ...${field('librarian')} /></div>
            <div class="field"><label for="search-institution">Institution</label>
                <select ...${field('institution')}><option value="">Any</option>
                    ${[...libraries(desk)].map(([domain, name]) => html`
                        <option value=${domain}>${name}</option>`)}</select></div>
            <div class="field"><label for="search-widget">Widget</label>
                <input type="text" placeholder="widget id" ...${field('widget')} /></div>
            <div class="field"><label for="search-coop">Co-op</label>
                <select ...${field('coop')}><option value="">Any</option>
                    ${(desk.info?.coops || []).map((coop) => html`
                        <option value=${coop.id}>${coop.name}</option>`)}</select></div>
            <div class="field"><label for="search-rating">Patron's rating</label>
                <select ...${field('rating')}><option value="">Any</option>
                    ${[5, 4, 3, 2, 1].map((n) => html`<option value=${n}>${n}</option>`)}
                </select></div>
            <div class="actions">
                <button type="submit" disabled=${busy}>Search</button>
                <button type="button" disabled=${busy} onClick=${onClear}>Clear</button>
            </div>
        </form>`;
}

function Results({ desk, rows, gathering, busy, open, onOpen, onMore }) {
    if (!gathering) return html`<p class="empty">Loading…</p>`;
    const save = (kind) => download(`transcripts.${kind}`,
        kind === 'csv' ? 'text/csv' : 'application/json',
        kind === 'csv' ? toCsv(rows) : toJson(rows));
    return html`
        <h3 id="results-heading" tabindex="-1">Results</h3>
        <p aria-live="polite">${rows.length} shown${gathering.hasMore() ? ', more to see' : ''}.</p>
        ${rows.length === 0 ? html`<p class="empty">No transcript matches.</p>` : html`
            <ul class="chat-list" aria-labelledby="results-heading">${rows.map((row) => html`
                <li key=${`${row.library} ${row.id}`} class="chat-item">
                    <${Row} desk=${desk} row=${row} open=${row === open}
                        onOpen=${() => onOpen(row)} /></li>`)}</ul>`}
        <div class="actions">
            ${gathering.hasMore() && html`<button type="button" disabled=${busy}
                onClick=${onMore}>More</button>`}
            <button type="button" disabled=${rows.length === 0}
                onClick=${() => save('csv')}>Export CSV</button>
            <button type="button" disabled=${rows.length === 0}
                onClick=${() => save('json')}>Export JSON</button>
        </div>`;
}

function Row({ desk, row, open, onOpen }) {
    const library = libraries(desk).get(row.library) || row.library;
    return html`
        <button type="button" aria-expanded=${open} onClick=${onOpen}>
            <span class="name">${row.patron || (row.anonymised ? 'Anonymised' : 'Patron')}</span>
            <span>${library} · ${row['widget-name'] || row.widget} · ${when(row.requested)}</span>
            <span>${row.nick || row.librarian
                ? `Answered by ${row.nick || row.librarian}${row.librarian
                    ? ` (${row.librarian})` : ''}` : 'Not answered'}</span>
            <span>${row.rating ? `Rated ${row.rating} of 5` : 'Not rated'} · ${
                row.feedback === 1 ? '1 feedback' : `${row.feedback} feedback`}</span>
            <span class="detail">“${row.question}”</span>
        </button>`;
}

export default {
    id: 'transcripts',
    title: 'Transcripts',
    label: () => 'Transcripts',
    view: Transcripts,
};
