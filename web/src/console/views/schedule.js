// The Schedule: a co-op's week, as its registry shows it to the librarian (schedule.xsd): the
// shifts of every member by day, the librarian's own marked, holidays, misses and their
// make-ups, the hours each member owes; for the coordinator (Co-Op Admin) the coverage gaps
// and every change; for an Institution Admin, a missed shift of their library and its make-up.
// A list by day rather than a grid of hours: it reads the same at 420 px and to a screen
// reader.
import { useEffect, useState } from 'preact/hooks';
import {
    askSchedule, dayOf, monday, readSchedule, weekAfter, WEEKDAYS,
} from '../scheduleask.js';
import { decimal, FigureTable } from './chart.js';
import { attempt, html } from './html.js';
import { CoordinatorForms, MissedForm } from './schedule-forms.js';

const MEMBERS = [{ name: 'name', title: 'Member' },
    { name: 'owed', title: 'Hours owed', format: (v) => decimal(v, 2) },
    { name: 'scheduled', title: 'Hours scheduled', format: (v) => decimal(v, 2) }];

function Schedule({ desk }) {
    const coops = desk.info?.coops || [];
    const [coopId, setCoopId] = useState(coops[0]?.id || '');
    const coop = coops.find((c) => c.id === coopId) || coops[0];
    return html`
        <section class="schedule" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">Schedule</h2>
            ${coops.length > 1 && html`<div class="field"><label for="schedule-coop">Co-op</label>
                <select id="schedule-coop" value=${coopId}
                    onInput=${(event) => setCoopId(event.currentTarget.value)}>
                    ${coops.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
                </select></div>`}
            ${coop && html`<${CoopWeek} key=${coop.id} desk=${desk} coop=${coop} />`}
        </section>`;
}

function CoopWeek({ desk, coop }) {
    const [week, setWeek] = useState(() => monday());
    const [shown, setShown] = useState(null);
    const [error, setError] = useState('');
    const load = (which = week) => attempt(setError, async () => {
        setShown(readSchedule(await askSchedule(desk, coop, 'get', 'schedule',
            { week: which })));
    });
    useEffect(() => { load(week); }, [week]);
    // A change, then the week again as the registry now has it.
    const change = (type, name, attrs, build, said) => attempt(setError, async () => {
        await askSchedule(desk, coop, type, name, attrs, build);
        desk.say(said);
        await load();
        return true;
    });
    const admin = coop.level === 'coop-admin';
    return html`
        <div class="week">
            <h3 id="week-heading" tabindex="-1">${coop.name}: week of ${week}</h3>
            <div class="actions" role="group" aria-label="Week">
                <button type="button" onClick=${() => setWeek(weekAfter(week, -1))}>
                    Previous week</button>
                <button type="button" onClick=${() => setWeek(monday())}>This week</button>
                <button type="button" onClick=${() => setWeek(weekAfter(week, 1))}>
                    Next week</button>
            </div>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${shown === null ? !error && html`<p class="empty">Loading…</p>` : html`
                <${Week} week=${shown} admin=${admin} change=${change} />
                <${FigureTable} caption="Hours owed and scheduled this week" columns=${MEMBERS}
                    rows=${shown.members} />
                ${(admin || coop.level === 'institution-admin') && html`<${MissedForm}
                    desk=${desk} week=${shown} admin=${admin} change=${change} />`}
                ${admin && html`<${CoordinatorForms} week=${shown} change=${change} />`}`}
        </div>`;
}

/** The week by day: each day's holiday, gaps and shifts. */
function Week({ week, admin, change }) {
    const names = new Map(week.members.map((m) => [m.domain, m.name]));
    return html`<ol class="week-days" aria-label="Shifts by day">${[1, 2, 3, 4, 5, 6, 7].map(
        (weekday) => {
            const date = dayOf(week.week, weekday);
            const holiday = week.holidays.find((h) => h.date === date);
            const shifts = week.shifts.filter((s) => s.weekday === weekday)
                .sort((a, b) => a.start.localeCompare(b.start));
            const gaps = week.gaps.filter((g) => g.weekday === weekday);
            return html`<li key=${weekday} class="week-day">
                <h4>${WEEKDAYS[weekday]} ${date}</h4>
                ${holiday && html`<p class="holiday">Holiday: ${holiday.name}${admin && html`
                    <button type="button" onClick=${() => change('set', 'delete-holiday',
                        { date }, undefined, `Holiday of ${date} deleted.`)}>Delete holiday ${
                        date}</button>`}</p>`}
                ${gaps.map((g) => html`<p class="gap"><strong>Gap:</strong> ${g.start}–${g.end
                    } not covered</p>`)}
                ${shifts.length === 0 ? html`<p class="empty">No shift.</p>` : html`
                    <ul class="shifts">${shifts.map((shift) => html`<${ShiftItem}
                        key=${shift.id} shift=${shift} name=${names.get(shift.institution)}
                        missed=${week.missed.filter((m) => m.shift === shift.id)} />`)}</ul>`}
            </li>`;
        })}</ol>`;
}

function ShiftItem({ shift, name, missed }) {
    const people = (list) => list.map((p) => p.nick ? `${p.nick} (${p.jid})` : p.jid)
        .join(', ');
    return html`<li class=${shift.mine ? 'shift mine' : 'shift'} data-shift=${shift.id}>
        <span class="time">${shift.start}–${shift.end}</span>
        <span>${name || shift.institution}</span>
        ${shift.mine && html`<strong class="badge">Your shift</strong>`}
        ${shift.staff.length > 0 && html`<span>Staff: ${people(shift.staff)}</span>`}
        ${shift.backup.length > 0 && html`<span>Back-up: ${people(shift.backup)}</span>`}
        ${missed.map((m) => html`<span class="missed">Missed ${m.date}${m.reason
            ? ` (${m.reason})` : ''}${m.makeUp ? `; made up ${m.makeUp.date} ${m.makeUp.start}–${
            m.makeUp.end}` : ''}</span>`)}
    </li>`;
}

export default {
    id: 'schedule',
    title: 'Schedule',
    label: () => 'Schedule',
    shown: (desk) => (desk.info?.coops || []).length > 0,
    view: Schedule,
};
