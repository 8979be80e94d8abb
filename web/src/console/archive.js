// What the console asks of the libraries' archives (urn:refdesk:archive:0, schemas/archive.xsd:
// transcripts, feedback, tickets) and of the co-ops' registries (urn:refdesk:quality:0), and
// reading their answers as plain objects. An answer counts only from the very address asked,
// and that address only when the console trusts it (trust.js).
import { child, children } from './protocol.js';

export const ARCHIVE = 'urn:refdesk:archive:0';
export const QUALITY = 'urn:refdesk:quality:0';
export const RSM = 'http://jabber.org/protocol/rsm';

const SUMMARY = ['id', 'library', 'widget', 'widget-name', 'state', 'requested', 'claimed',
    'ended', 'patron', 'librarian', 'nick', 'institution', 'coops', 'rating'];
const TICKET = ['id', 'state', 'opened', 'chat', 'origin', 'opened-by', 'patron', 'email',
    'assigned', 'answered', 'answered-by', 'closed', 'referred-from', 'referred-to'];

function attrs(element, names) {
    return Object.fromEntries(names.map((name) => [name, element.getAttribute(name) || '']));
}

function text(element, name, ns = ARCHIVE) {
    return child(element, name, ns)?.textContent || '';
}

/** An iq to an archive or registry the console trusts; the result's payload `name`. */
export async function ask(desk, to, type, name, build, ns = ARCHIVE) {
    const trusted = ns === QUALITY ? desk.trust.isRegistry(to) : desk.trust.isArchive(to);
    if (!trusted) throw new Error(`${to} is not an archive of your co-ops.`);
    const result = await desk.client.iq(to, type, build);
    if (result.getAttribute('from') !== to) throw new Error(`No answer from ${to}.`);
    return child(result, name, ns);
}

/** <summary/> of a listing, or <transcript/>'s own attributes, as a plain object. */
export function readSummary(element) {
    return {
        ...attrs(element, SUMMARY),
        question: text(element, 'question'),
        feedback: Number(element.getAttribute('feedback') || 0),
        followup: element.getAttribute('followup') === 'true',
        anonymised: element.getAttribute('anonymised') === 'true',
    };
}

/** <transcripts/>: its summaries and its RSM set's last id and count. */
export function readListing(element) {
    const set = child(element, 'set', RSM);
    return {
        summaries: children(element, 'summary', ARCHIVE).map(readSummary),
        last: text(set, 'last', RSM),
        count: Number(text(set, 'count', RSM) || 0),
    };
}

/** <transcript/> in full, with what the asker may do with it. */
export function readTranscript(element) {
    const patron = child(element, 'patron', ARCHIVE);
    const rating = child(element, 'rating', ARCHIVE);
    return {
        ...readSummary(element),
        may: new Set((element.getAttribute('may') || '').split(/\s+/).filter(Boolean)),
        patron: patron ? attrs(patron, ['name', 'email', 'referrer', 'user-agent']) : null,
        lines: children(element, 'line', ARCHIVE).map((line) => ({
            ...attrs(line, ['at', 'sender', 'nick', 'edited', 'script']),
            seq: Number(line.getAttribute('seq')),
            body: line.textContent,
        })),
        rating: rating ? { score: rating.getAttribute('score'), comment: rating.textContent }
            : null,
        feedback: children(element, 'feedback', ARCHIVE).map((entry) => ({
            ...attrs(entry, ['author', 'at', 'rating']),
            body: entry.textContent,
        })),
    };
}

/** <tickets/>: each ticket as a plain object, and the RSM set's last id. */
export function readTickets(element) {
    const set = child(element, 'set', RSM);
    return {
        tickets: children(element, 'ticket', ARCHIVE).map((ticket) => ({
            ...attrs(ticket, TICKET),
            question: text(ticket, 'question'),
            note: text(ticket, 'note'),
            answer: text(ticket, 'answer'),
        })),
        last: text(set, 'last', RSM),
    };
}

/** Adds <set/> asking for `max` items after `after` (none: from the newest). */
export function page(iq, max, after = '') {
    iq.c('set', { xmlns: RSM }).c('max').t(String(max)).up();
    if (after) iq.c('after').t(after).up();
    iq.up();
}

/** The search as a <filter/>'s attributes and text: only what was filled in. */
export function addFilter(iq, search) {
    const attributes = { xmlns: ARCHIVE };
    if (search.from) attributes.start = dayStart(search.from);
    if (search.to) attributes.end = dayStart(search.to, 1);
    for (const name of ['librarian', 'institution', 'widget', 'coop', 'rating']) {
        if (search[name]) attributes[name] = search[name].trim();
    }
    iq.c('filter', attributes);
    if (search.text?.trim()) iq.c('text').t(search.text.trim()).up();
    iq.up();
}

/** A date field's day (YYYY-MM-DD, the librarian's local midnight), `days` later, in UTC. */
function dayStart(day, days = 0) {
    const [year, month, date] = day.split('-').map(Number);
    return new Date(year, month - 1, date + days).toISOString();
}
