// Working an open ticket: answer (mailed to the patron by the archive), assign to a librarian
// of the library, refer to a member library of the co-ops or to an email address, close.
import { useState } from 'preact/hooks';
import { ARCHIVE } from '../archive.js';
import { attempt, html, uid } from './html.js';
import { libraries } from './names.js';

const BY_EMAIL = '@email';

export function TicketActions({ desk, ticket, request, reload, described }) {
    const [error, setError] = useState('');
    const act = (name, attributes, text = null, said = '') => attempt(setError, async () => {
        await request('set', name, (iq) => {
            iq.c(name, { xmlns: ARCHIVE, ticket: ticket.id, ...attributes });
            if (text !== null) iq.t(text);
        });
        if (said) desk.say(said);
        await reload();
        return true;
    });
    const props = { desk, ticket, act, setError };
    return html`
        <div class="ticket-actions">
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <${Answer} ...${props} />
            <${Assign} ...${props} />
            <${Refer} ...${props} />
            <div class="actions"><button type="button" aria-describedby=${described}
                onClick=${() => act('close', {}, null, `Ticket ${ticket.id} closed.`)}>
                Close ticket</button></div>
        </div>`;
}

function Answer({ ticket, act }) {
    const [text, setText] = useState('');
    const [id] = useState(() => uid('answer'));
    if (!ticket.email) {
        return html`<p class="no-email">No email address was left with this question, so it
            cannot be answered by email: refer it, or close it.</p>`;
    }
    const send = async (event) => {
        event.preventDefault();
        if (await act('answer', {}, text, `Answer to ticket ${ticket.id} sent to `
            + `${ticket.email}.`)) setText('');
    };
    return html`
        <details><summary>Answer by email</summary>
            <form class="action-form" onSubmit=${send}>
                <label for=${id}>Answer to ${ticket.email}</label>
                <textarea id=${id} rows="4" required value=${text}
                    onInput=${(event) => setText(event.currentTarget.value)} />
                <div class="actions"><button type="submit">Send answer</button></div>
            </form></details>`;
}

function Assign({ desk, ticket, act, setError }) {
    const [to, setTo] = useState(ticket.assigned || '');
    const [id] = useState(() => uid('assign'));
    const assign = (jid) => act('assign', jid ? { to: jid } : {}, null,
        jid ? `Ticket ${ticket.id} assigned to ${jid}.` : `Ticket ${ticket.id} unassigned.`);
    const submit = (event) => {
        event.preventDefault();
        const jid = to.trim().toLowerCase();
        // Only the library's own librarians work its tickets: said here, before asking.
        const [local, domain, extra] = jid.split('@');
        if (jid && (!local || domain !== desk.config.domain || extra !== undefined
            || /[\s/]/.test(jid))) {
            setError(`Assign to a librarian of ${desk.config.libraryName}: `
                + `name@${desk.config.domain}.`);
            return;
        }
        assign(jid);
    };
    return html`
        <details><summary>Assign</summary>
            <form class="action-form" onSubmit=${submit}>
                <label for=${id}>Librarian of ${desk.config.libraryName}</label>
                <input id=${id} type="text" placeholder=${`name@${desk.config.domain}`}
                    value=${to} onInput=${(event) => setTo(event.currentTarget.value)} />
                <div class="actions"><button type="submit">Assign</button>
                    <button type="button" onClick=${() => assign(desk.client.jid)}>
                        Assign to me</button>
                    ${ticket.assigned && html`<button type="button"
                        onClick=${() => assign('')}>Unassign</button>`}</div>
            </form></details>`;
}

function Refer({ desk, ticket, act }) {
    const others = [...libraries(desk)].filter(([domain]) => domain !== desk.config.domain);
    const [target, setTarget] = useState(others[0]?.[0] || BY_EMAIL);
    const [address, setAddress] = useState('');
    const [note, setNote] = useState('');
    const [id] = useState(() => uid('refer'));
    const refer = (event) => {
        event.preventDefault();
        const to = target === BY_EMAIL ? address.trim() : target;
        act('refer', { to }, note, `Ticket ${ticket.id} referred to ${to}.`);
    };
    return html`
        <details><summary>Refer</summary>
            <form class="action-form" onSubmit=${refer}>
                <label for=${`${id}-to`}>Refer to</label>
                <select id=${`${id}-to`} value=${target}
                    onChange=${(event) => setTarget(event.currentTarget.value)}>
                    ${others.map(([domain, name]) => html`<option value=${domain}>${name}</option>`)}
                    <option value=${BY_EMAIL}>An email address…</option>
                </select>
                ${target === BY_EMAIL && html`<label for=${`${id}-address`}>Email address</label>
                    <input id=${`${id}-address`} type="email" required value=${address}
                        onInput=${(event) => setAddress(event.currentTarget.value)} />`}
                <label for=${`${id}-note`}>Note for them</label>
                <textarea id=${`${id}-note`} rows="2" value=${note}
                    onInput=${(event) => setNote(event.currentTarget.value)} />
                <div class="actions"><button type="submit">Refer ticket</button></div>
            </form></details>`;
}
