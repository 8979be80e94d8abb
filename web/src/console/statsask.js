// What the console asks about figures (urn:refdesk:stats:0, schemas/stats.xsd): reports at the
// librarian's own stats component or at a co-op's registry, monitoring activity, the
// Contribution Percentage and the co-op dashboard at a registry. As with the archives, an
// answer counts only from the very address asked, and that address only when the console
// trusts it (trust.js): a stranger's stanza must never pass for a library's figures.
import { child, children } from './protocol.js';

export const STATS = 'urn:refdesk:stats:0';

const ROW = ['key', 'label'];
const FIGURES = ['chats', 'answered', 'wait', 'duration', 'ratings', 'rating'];
const ACTIVITY = ['hours', 'scheduled', 'sessions', 'operators'];
const MEMBER = ['requested', 'accepted', 'percent', 'target'];
const DASHBOARD = ['answered', 'hours', 'percent', 'coop-chats', 'members'];

/** The browser's IANA time zone: dates and distributions are counted in it. */
export function browserZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** An iq carrying <name/> to a trusted stats component or registry; the result's <name/>. */
export async function askStats(desk, to, type, name, attrs) {
    if (!desk.trust.isStats(to) && !desk.trust.isRegistry(to)) {
        throw new Error(`${to} is not your library's or one of your co-ops'.`);
    }
    const present = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== ''
        && v !== undefined && v !== null));
    const result = await desk.client.iq(to, type, (iq) => iq.c(name, { xmlns: STATS,
        ...present }));
    if (result.getAttribute('from') !== to) throw new Error(`No answer from ${to}.`);
    const answer = child(result, name, STATS);
    if (!answer) throw new Error(`${to} sent no ${name}.`);
    return answer;
}

/** A figure as a number, or null where the answer left it out (no chats to stand on). */
function numbers(element, names) {
    return Object.fromEntries(names.map((name) => {
        const value = element.getAttribute(name);
        return [name, value === null || value === '' ? null : Number(value)];
    }));
}

function texts(element, names) {
    return Object.fromEntries(names.map((name) => [name, element.getAttribute(name) || '']));
}

function tables(element, figures) {
    return children(element, 'table', STATS).map((table) => ({
        name: table.getAttribute('name') || '',
        rows: children(table, 'row', STATS).map((row) => ({
            ...texts(row, ROW), ...numbers(row, figures) })),
    }));
}

/** <report/>: its scope, total and tables of rows. */
export function readReport(element) {
    return { kind: element.getAttribute('kind') || '', scope: element.getAttribute('scope') || '',
        chats: Number(element.getAttribute('chats') || 0), tables: tables(element, FIGURES) };
}

/** <activity/>: its scope and tables of monitoring rows. */
export function readActivity(element) {
    return { kind: element.getAttribute('kind') || '',
        scope: element.getAttribute('scope') || '', tables: tables(element, ACTIVITY) };
}

/** <contribution/>: the co-op as a whole and each member's row. */
export function readContribution(element) {
    return {
        coop: numbers(element, ['requested', 'accepted', 'percent']),
        members: children(element, 'member', STATS).map((member) => ({
            ...texts(member, ['domain', 'name']),
            contributing: member.getAttribute('contributing') === 'true',
            ...numbers(member, MEMBER),
        })),
    };
}

/** <dashboard/>: the month and one summary per co-op. */
export function readDashboard(element) {
    return {
        month: element.getAttribute('month') || '',
        coops: children(element, 'coop', STATS).map((coop) => ({
            ...texts(coop, ['id', 'name', 'level', 'institution']), ...numbers(coop, DASHBOARD),
        })),
    };
}

/** Today and a day `days` before, as date fields write them (YYYY-MM-DD, local). */
export function dayInput(days = 0, from = new Date()) {
    const day = new Date(from.getFullYear(), from.getMonth(), from.getDate() - days);
    const pad = (n) => String(n).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}
