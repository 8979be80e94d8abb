// One transcript, read from the patron's library's archive: the lines with who and when
// (internal notes and edited lines marked), the patron's rating and comment, the feedback,
// and only the actions the archive's `may` grants this librarian (none: read only).
import { useEffect, useState } from 'preact/hooks';
import { ARCHIVE, ask, readTranscript } from '../archive.js';
import { attempt, clock, html, uid } from './html.js';
import { DeleteTranscript, EmailTranscript, Feedback, Forward } from './transcript-actions.js';
import { libraries, when } from './names.js';

const SENDERS = { patron: 'Patron', operator: 'Librarian', system: 'refdesk', note: 'Note' };

export function Transcript({ desk, row, onDeleted, onChanged, onClose }) {
    const [chat, setChat] = useState(null);
    const [error, setError] = useState('');
    const [heading] = useState(() => uid('transcript'));
    const archive = desk.trust.archiveOf(row.library);
    const request = (type, name, build) => ask(desk, archive, type, name, build);
    const load = () => attempt(setError, async () => {
        const next = readTranscript(await request('get', 'transcript',
            (iq) => iq.c('transcript', { xmlns: ARCHIVE, id: row.id })));
        setChat(next);
        return next;
    });
    const reload = async () => {
        const next = await load();
        if (next) onChanged(next);
    };
    useEffect(() => {
        document.getElementById(heading)?.focus(); // opened: the keyboard is taken to it
        load();
    }, []);
    const library = libraries(desk).get(row.library) || row.library;
    return html`
        <section class="transcript chat-pane" aria-labelledby=${heading}>
            <h2 id=${heading} tabindex="-1">Transcript: ${row.patron || 'patron'} at ${library}</h2>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${chat === null ? !error && html`<p class="empty">Loading…</p>` : html`
                ${chat.may.size === 0 && html`<p class="read-only">${`Read only: the staff of `
                    + `${library} may edit, delete or email it.`}</p>`}
                <${Details} desk=${desk} chat=${chat} library=${library} />
                <${Lines} chat=${chat} request=${request} reload=${reload} />
                <${Ratings} chat=${chat} />
                <${Actions} desk=${desk} chat=${chat} request=${request} reload=${reload}
                    onDeleted=${onDeleted} />`}
            <div class="actions"><button type="button" onClick=${onClose}>Close transcript</button></div>
        </section>`;
}

function Details({ desk, chat, library }) {
    const coopNames = (ids) => ids.split(/\s+/).map((id) => (desk.info?.coops || [])
        .find((coop) => coop.id === id)?.name || id).join(', ');
    const patron = chat.patron || {};
    return html`
        <dl class="details">
            <div><dt>Library</dt><dd>${library}</dd></div>
            <div><dt>Widget</dt><dd>${chat['widget-name'] || chat.widget}</dd></div>
            <div><dt>Asked</dt><dd>${when(chat.requested)}</dd></div>
            <div><dt>Question</dt><dd>${chat.question}</dd></div>
            <div><dt>Patron</dt><dd>${patron.name || (chat.anonymised ? 'Anonymised' : '—')}
                ${patron.email && ` <${patron.email}>`}</dd></div>
            ${patron.referrer && html`<div><dt>Asked on</dt><dd>${patron.referrer}</dd></div>`}
            ${patron['user-agent'] && html`<div><dt>Browser</dt>
                <dd>${patron['user-agent']}</dd></div>`}
            <div><dt>Answered by</dt><dd>${chat.nick || chat.librarian
                ? `${chat.nick || chat.librarian} (${chat.librarian || chat.institution})`
                : 'Nobody'}</dd></div>
            ${chat.coops && html`<div><dt>Co-ops</dt><dd>${coopNames(chat.coops)}</dd></div>`}
        </dl>`;
}

function Lines({ chat, request, reload }) {
    const [editing, setEditing] = useState(0);
    return html`
        <h3>Conversation</h3>
        <ol class="log transcript-lines" aria-label="Transcript lines">${chat.lines.map(
            (line) => html`<li key=${line.seq} class=${`line ${line.sender}`}>
                <span class="who">${line.sender === 'note' ? 'Internal note'
                    : line.nick || SENDERS[line.sender] || line.sender}</span>
                <time class="at" datetime=${line.at}>${clock(line.at)}</time>
                ${line.script && html`<span class="mark script">script: ${line.script}</span>`}
                ${line.edited && html`<span class="mark edited">${'edited '}<time
                    datetime=${line.edited}>${when(line.edited)}</time></span>`}
                ${chat.may.has('edit') && line.sender !== 'system' && editing !== line.seq
                    && html`<button type="button" class="small"
                        aria-label=${`Edit line ${line.seq}`}
                        onClick=${() => setEditing(line.seq)}>Edit</button>`}
                ${editing === line.seq ? html`<${EditLine} chat=${chat} line=${line}
                    request=${request} done=${async (saved) => {
                        setEditing(0);
                        if (saved) await reload();
                    }} />` : html`<span class="body">${line.body}</span>`}
            </li>`)}</ol>`;
}

function EditLine({ chat, line, request, done }) {
    const [value, setValue] = useState(line.body);
    const [error, setError] = useState('');
    const [id] = useState(() => uid('edit'));
    const save = (event) => attempt(setError, async () => {
        event.preventDefault();
        await request('set', 'edit', (iq) => iq.c('edit',
            { xmlns: ARCHIVE, id: chat.id, seq: String(line.seq) }).t(value));
        await done(true);
    });
    return html`
        <form class="edit-line" onSubmit=${save}>
            <label for=${id}>New text of line ${line.seq}</label>
            <textarea id=${id} rows="2" required value=${value}
                onInput=${(event) => setValue(event.currentTarget.value)} />
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <div class="actions"><button type="submit">Save line</button>
                <button type="button" onClick=${() => done(false)}>Cancel</button></div>
        </form>`;
}

function Ratings({ chat }) {
    return html`
        <h3>Rating and feedback</h3>
        <p>${chat.rating ? `The patron rated it ${chat.rating.score} of 5`
            + (chat.rating.comment ? `: “${chat.rating.comment}”` : '.')
            : 'The patron did not rate it.'}</p>
        ${chat.feedback.length === 0 ? html`<p class="empty">No feedback yet.</p>` : html`
            <ul class="feedback" aria-label="Feedback">${chat.feedback.map((entry) => html`
                <li>${`${entry.author} on `}<time datetime=${entry.at}>${when(entry.at)}</time>
                    ${`${entry.rating ? `, rated it ${entry.rating} of 5` : ''}: `}
                    <span class="body">${entry.body}</span></li>`)}</ul>`}`;
}

function Actions({ desk, chat, request, reload, onDeleted }) {
    return html`
        ${chat.may.has('feedback') && html`<${Feedback} chat=${chat} request=${request}
            reload=${reload} />`}
        ${chat.may.has('email') && html`<${EmailTranscript} desk=${desk} chat=${chat}
            request=${request} />`}
        <${Forward} desk=${desk} chat=${chat} />
        ${chat.may.has('delete') && html`<${DeleteTranscript} desk=${desk} chat=${chat}
            request=${request} onDeleted=${onDeleted} />`}`;
}
