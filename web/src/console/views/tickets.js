// Tickets: the follow-up questions of the librarian's library (left on the offline widget,
// marked in a chat, or referred by another library), open ones first, closed ones on a
// switch; each is assigned, answered by email, closed or referred on from here. The library's
// own archive keeps them and decides who may work them.
import { useEffect, useState } from 'preact/hooks';
import { ARCHIVE, ask, page, readTickets } from '../archive.js';
import { attempt, html, uid } from './html.js';
import { libraries, when } from './names.js';
import { TicketActions } from './ticket-actions.js';

const PAGE = 25;
const ORIGINS = { offline: 'Offline widget', followup: 'Follow-up from a chat',
    referral: 'Referral' };

function Tickets({ desk }) {
    const [closed, setClosed] = useState(false);
    const [tickets, setTickets] = useState(null);
    const [last, setLast] = useState('');
    const [error, setError] = useState('');
    const archive = desk.trust.archiveOf(desk.config.domain);
    const request = (type, name, build) => ask(desk, archive, type, name, build);
    const fetch = (showClosed, after = '') => request('get', 'tickets', (iq) => {
        iq.c('tickets', { xmlns: ARCHIVE, state: showClosed ? 'all' : 'open' });
        page(iq, PAGE, after);
    }).then(readTickets);
    const load = (showClosed = closed) => attempt(setError, async () => {
        const read = await fetch(showClosed);
        setTickets(read.tickets);
        setLast(read.tickets.length === PAGE ? read.last : '');
    });
    const more = () => attempt(setError, async () => {
        const read = await fetch(closed, last);
        setTickets([...tickets, ...read.tickets]);
        setLast(read.tickets.length === PAGE ? read.last : '');
    });
    useEffect(() => { load(); }, []);
    const toggle = (event) => {
        setClosed(event.currentTarget.checked);
        load(event.currentTarget.checked);
    };
    return html`
        <section class="tickets" aria-labelledby="tickets-heading">
            <h2 id="tickets-heading">Tickets</h2>
            <p>Questions to follow up for ${desk.config.libraryName}: answer by email, assign,
                refer to a member library or close.</p>
            <div class="switches"><label><input type="checkbox" checked=${closed}
                onChange=${toggle} />Show closed tickets</label></div>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <div class="actions"><button type="button" onClick=${() => load()}>Refresh</button></div>
            <h3 id="ticket-list-heading">${closed ? 'All tickets' : 'Open tickets'}</h3>
            ${tickets === null ? !error && html`<p class="empty">Loading…</p>`
                : tickets.length === 0 ? html`<p class="empty">${closed ? 'No ticket.'
                    : 'No open ticket.'}</p>` : html`
                <ul class="chat-list" aria-labelledby="ticket-list-heading">${tickets.map(
                    (ticket) => html`<li key=${ticket.id}><${Ticket} desk=${desk}
                        ticket=${ticket} request=${request} reload=${() => load()} /></li>`)}
                </ul>`}
            ${last && html`<div class="actions"><button type="button"
                onClick=${more}>More</button></div>`}
        </section>`;
}

function Ticket({ desk, ticket, request, reload }) {
    const [described] = useState(() => uid('ticket'));
    const named = (domain) => libraries(desk).get(domain) || domain;
    return html`
        <article class="preview ticket" aria-labelledby=${`${described}-q`}>
            <h4 id=${`${described}-q`}>Ticket ${ticket.id}: “${ticket.question}”</h4>
            <dl class="details" id=${described}>
                <div><dt>Status</dt><dd>${ticket.state === 'open' ? 'Open'
                    : html`Closed <time datetime=${ticket.closed}>${when(ticket.closed)}</time>`}
                    </dd></div>
                <div><dt>Opened</dt><dd><time datetime=${ticket.opened}>${when(ticket.opened)}
                    </time>${ticket['opened-by'] && ` by ${ticket['opened-by']}`}</dd></div>
                <div><dt>Origin</dt><dd>${ORIGINS[ticket.origin] || ticket.origin}${
                    ticket['referred-from'] && ` from ${named(ticket['referred-from'])}`}</dd></div>
                <div><dt>Patron</dt><dd>${ticket.patron || '—'}</dd></div>
                <div><dt>Email</dt><dd>${ticket.email || 'none given'}</dd></div>
                <div><dt>Assigned to</dt><dd>${ticket.assigned || 'nobody'}</dd></div>
                ${ticket.chat && html`<div><dt>Chat</dt><dd>${ticket.chat}</dd></div>`}
                ${ticket.note && html`<div><dt>Note</dt><dd>${ticket.note}</dd></div>`}
                ${ticket.answer && html`<div><dt>Answer</dt><dd>${ticket.answer}${
                    ticket['answered-by'] && ` (${ticket['answered-by']})`}</dd></div>`}
                ${ticket['referred-to'] && html`<div><dt>Referred to</dt>
                    <dd>${named(ticket['referred-to'])}</dd></div>`}
            </dl>
            ${ticket.chat && html`<div class="actions"><button type="button"
                aria-describedby=${described} onClick=${() => openTranscript(desk, ticket)}>
                Open transcript</button></div>`}
            ${ticket.state === 'open' && html`<${TicketActions} desk=${desk} ticket=${ticket}
                request=${request} reload=${reload} described=${described} />`}
        </article>`;
}

/** The chat a ticket follows up, shown in Transcripts (which takes `desk.openTranscript`). */
function openTranscript(desk, ticket) {
    desk.openTranscript = { library: desk.config.domain, id: ticket.chat,
        patron: ticket.patron, feedback: 0 };
    desk.section = 'transcripts';
    desk.changed();
}

export default {
    id: 'tickets',
    title: 'Tickets',
    label: () => 'Tickets',
    // A co-op's coordinating host keeps no tickets: it has no patrons of its own.
    shown: (desk) => desk.trust.archiveOf(desk.config.domain) !== null,
    view: Tickets,
};
