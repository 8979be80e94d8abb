// What the console asks of a co-op's registry about its staffing schedule
// (urn:refdesk:schedule:0, schemas/schedule.xsd), read as plain objects. Only the registry of a
// co-op the librarian belongs to is asked, and its answer counts only from that address.
import { child, children } from './protocol.js';

export const SCHEDULE = 'urn:refdesk:schedule:0';

export const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
    'Saturday', 'Sunday'];
const SHIFT = ['id', 'institution', 'weekday', 'start', 'end'];

function texts(element, names) {
    return Object.fromEntries(names.map((name) => [name, element.getAttribute(name) || '']));
}

/** An iq carrying <name coop=…/> to the co-op's registry; the result (its payload or null).
 *  `build` adds children to the payload. */
export async function askSchedule(desk, coop, type, name, attrs, build = () => {}) {
    const to = desk.trust.registryOf(coop);
    if (!to) throw new Error(`${coop.name} is not one of your co-ops.`);
    const present = Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== ''
        && v !== undefined && v !== null).map(([k, v]) => [k, String(v)]));
    const result = await desk.client.iq(to, type, (iq) => build(iq.c(name, { xmlns: SCHEDULE,
        coop: coop.id, ...present })));
    if (result.getAttribute('from') !== to) throw new Error(`No answer from ${to}.`);
    return child(result, name, SCHEDULE);
}

function readShift(element) {
    const people = (kind) => children(element, kind, SCHEDULE).map((person) => texts(person,
        ['jid', 'nick']));
    return { ...texts(element, SHIFT), weekday: Number(element.getAttribute('weekday')),
        mine: element.getAttribute('mine') === 'true', staff: people('staff'),
        backup: people('backup') };
}

function readMissed(element) {
    const makeUp = child(element, 'make-up', SCHEDULE);
    return { ...texts(element, ['id', 'shift', 'date', 'reason']),
        makeUp: makeUp ? texts(makeUp, ['date', 'start', 'end']) : null };
}

/** <schedule/>: the week's settings, members, shifts, holidays, misses and gaps. */
export function readSchedule(element) {
    const all = (name) => children(element, name, SCHEDULE);
    const settings = child(element, 'settings', SCHEDULE);
    return {
        week: element.getAttribute('week') || '',
        settings: settings ? texts(settings, ['zone', 'served-per-hour']) : null,
        members: all('member').map((m) => ({ ...texts(m, ['domain', 'name', 'served']),
            contributing: m.getAttribute('contributing') === 'true',
            owed: Number(m.getAttribute('owed')), scheduled: Number(m.getAttribute('scheduled')),
        })),
        shifts: all('shift').map(readShift),
        holidays: all('holiday').map((h) => texts(h, ['date', 'name'])),
        missed: all('missed').map(readMissed),
        gaps: all('gap').map((g) => ({ ...texts(g, ['start', 'end']),
            weekday: Number(g.getAttribute('weekday')) })),
    };
}

/** Adds a shift's staff and back-ups (addresses) to a <shift/> being saved. */
export function addPeople(element, staff, backup) {
    for (const jid of staff) element.c('staff', { jid }).up();
    for (const jid of backup) element.c('backup', { jid }).up();
    return element;
}

/** The Monday of the week of `day` (a Date), `weeks` later, as YYYY-MM-DD. */
export function monday(day = new Date(), weeks = 0) {
    const offset = (day.getDay() + 6) % 7;
    return isoDay(new Date(day.getFullYear(), day.getMonth(), day.getDate() - offset
        + weeks * 7));
}

/** The Monday `weeks` after (or before) the Monday `week`. */
export function weekAfter(week, weeks) {
    const [year, month, date] = week.split('-').map(Number);
    return monday(new Date(year, month - 1, date), weeks);
}

/** The date of `weekday` (1-7) in the week starting on Monday `week`, as YYYY-MM-DD. */
export function dayOf(week, weekday) {
    const [year, month, date] = week.split('-').map(Number);
    return isoDay(new Date(year, month - 1, date + weekday - 1));
}

function isoDay(day) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}
