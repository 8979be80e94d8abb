// The Schedule's forms: the coordinator's (a shift added, changed or deleted; a holiday; a
// member's hours owed) and an Institution Admin's (a missed shift of their library, and its
// make-up). Each sends one request of schedule.xsd and the week is asked again after it.
import { useState } from 'preact/hooks';
import { addPeople, WEEKDAYS } from '../scheduleask.js';
import { html, uid } from './html.js';

const NEW_SHIFT = { id: '', institution: '', weekday: '1', start: '09:00', end: '13:00',
    staff: '', backup: '' };

/** A form's fields bound to `values`; each field's id is `${prefix}-${name}`. */
function binder(prefix, values, setValues) {
    return (name) => ({ id: `${prefix}-${name}`, value: values[name],
        onInput: (event) => setValues({ ...values, [name]: event.currentTarget.value }) });
}

function addresses(text) {
    return text.split(/[\s,]+/).map((jid) => jid.trim()).filter(Boolean);
}

function shiftTitle(shift, names) {
    return `${WEEKDAYS[shift.weekday]} ${shift.start}–${shift.end}, ${
        names.get(shift.institution) || shift.institution}`;
}

function Time({ label, bind }) {
    return html`<div class="field"><label for=${bind.id}>${label}</label>
        <input type="time" step="900" required ...${bind} /></div>`;
}

function MemberSelect({ label, bind, members }) {
    return html`<div class="field"><label for=${bind.id}>${label}</label>
        <select required ...${bind}><option value="">Choose…</option>${members.map((m) => html`
            <option value=${m.domain}>${m.name}</option>`)}</select></div>`;
}

export function CoordinatorForms({ week, change }) {
    return html`
        <h3>Coordinator</h3>
        <${ShiftForm} week=${week} change=${change} />
        <${HolidayForm} change=${change} />
        <${HoursForm} week=${week} change=${change} />
        <${SettingsForm} week=${week} change=${change} />`;
}

/** The co-op's time zone (shifts' times of day are in it) and the hours rule. */
function SettingsForm({ week, change }) {
    const [values, setValues] = useState(() => ({ zone: week.settings?.zone || 'UTC',
        'served-per-hour': week.settings?.['served-per-hour'] || '' }));
    const [id] = useState(() => uid('settings'));
    const field = binder(id, values, setValues);
    const save = (event) => {
        event.preventDefault();
        change('set', 'settings', { zone: values.zone.trim(),
            'served-per-hour': String(values['served-per-hour']).trim() }, undefined,
        'Schedule settings saved.');
    };
    return html`
        <form class="action-form" aria-label="Schedule settings" onSubmit=${save}>
            <h4>Time zone and hours rule</h4>
            <div class="field"><label for=${`${id}-zone`}>Time zone of the shifts</label>
                <input type="text" required maxLength="64" placeholder="Europe/London"
                    ...${field('zone')} /></div>
            <div class="field"><label for=${`${id}-served-per-hour`}>FTE or people per weekly
                hour</label>
                <input type="number" min="1" step="1" ...${field('served-per-hour')} /></div>
            <div class="actions"><button type="submit">Save settings</button></div>
        </form>`;
}

function ShiftForm({ week, change }) {
    const [values, setValues] = useState(NEW_SHIFT);
    const [id] = useState(() => uid('shift'));
    const field = binder(id, values, setValues);
    const names = new Map(week.members.map((m) => [m.domain, m.name]));
    const pick = (event) => {
        const shift = week.shifts.find((s) => s.id === event.currentTarget.value);
        setValues(shift ? { ...shift, weekday: String(shift.weekday),
            staff: shift.staff.map((p) => p.jid).join(', '),
            backup: shift.backup.map((p) => p.jid).join(', ') } : NEW_SHIFT);
    };
    const save = async (event) => {
        event.preventDefault();
        const { id: shiftId, institution, weekday, start, end } = values;
        const done = await change('set', 'shift', { id: shiftId, institution, weekday, start,
            end }, (element) => addPeople(element, addresses(values.staff),
            addresses(values.backup)), shiftId ? 'Shift saved.' : 'Shift added.');
        if (done) setValues(NEW_SHIFT);
    };
    const remove = async () => {
        if (await change('set', 'delete-shift', { id: values.id }, undefined,
            'Shift deleted.')) setValues(NEW_SHIFT);
    };
    return html`
        <form class="action-form" aria-label="Shift" onSubmit=${save}>
            <h4>${values.id ? 'Change a shift' : 'Add a shift'}</h4>
            <div class="field wide"><label for=${`${id}-pick`}>Shift to edit</label>
                <select id=${`${id}-pick`} value=${values.id} onInput=${pick}>
                    <option value="">A new shift</option>${week.shifts.map((s) => html`
                    <option value=${s.id}>${shiftTitle(s, names)}</option>`)}</select></div>
            <${MemberSelect} label="Member library" bind=${field('institution')}
                members=${week.members} />
            <div class="field"><label for=${`${id}-weekday`}>Day</label>
                <select ...${field('weekday')}>${WEEKDAYS.slice(1).map((day, i) => html`
                    <option value=${String(i + 1)}>${day}</option>`)}</select></div>
            <${Time} label="Starts" bind=${field('start')} />
            <${Time} label="Ends" bind=${field('end')} />
            <div class="field wide"><label for=${`${id}-staff`}>Staff (addresses)</label>
                <input type="text" placeholder="name@library, …" ...${field('staff')} /></div>
            <div class="field wide"><label for=${`${id}-backup`}>Back-up (addresses)</label>
                <input type="text" placeholder="name@library, …" ...${field('backup')} /></div>
            <div class="actions">
                <button type="submit">${values.id ? 'Save shift' : 'Add shift'}</button>
                ${values.id && html`<button type="button" onClick=${remove}>Delete shift</button>`}
            </div>
        </form>`;
}

function HolidayForm({ change }) {
    const [values, setValues] = useState({ date: '', name: '' });
    const [id] = useState(() => uid('holiday'));
    const field = binder(id, values, setValues);
    const save = async (event) => {
        event.preventDefault();
        if (await change('set', 'holiday', { date: values.date, name: values.name.trim() },
            undefined, `Holiday ${values.date} added.`)) setValues({ date: '', name: '' });
    };
    return html`
        <form class="action-form" aria-label="Holiday" onSubmit=${save}>
            <h4>Holidays (no shift is owed that day)</h4>
            <div class="field"><label for=${`${id}-date`}>Holiday date</label>
                <input type="date" required ...${field('date')} /></div>
            <div class="field wide"><label for=${`${id}-name`}>Holiday name</label>
                <input type="text" required maxLength="255" ...${field('name')} /></div>
            <div class="actions"><button type="submit">Add holiday</button></div>
        </form>`;
}

function HoursForm({ week, change }) {
    const [values, setValues] = useState({ institution: '', served: '', hours: '' });
    const [id] = useState(() => uid('hours'));
    const field = binder(id, values, setValues);
    const save = (event) => {
        event.preventDefault();
        change('set', 'member-hours', { institution: values.institution,
            served: values.served.trim(), hours: values.hours.trim() }, undefined,
        'Hours owed saved.');
    };
    return html`
        <form class="action-form" aria-label="Member hours" onSubmit=${save}>
            <h4>Hours a member owes each week</h4>
            <${MemberSelect} label="Member" bind=${field('institution')} members=${week.members} />
            <div class="field"><label for=${`${id}-served`}>FTE or population served</label>
                <input type="number" min="0" step="1" ...${field('served')} /></div>
            <div class="field"><label for=${`${id}-hours`}>Hours owed outright</label>
                <input type="number" min="0" max="168" step="0.25" ...${field('hours')} /></div>
            <div class="actions"><button type="submit">Save hours</button></div>
        </form>`;
}

/** A missed shift (Institution Admin of the shift's library, or the coordinator), and the
 *  make-up of one recorded. The registry refuses a shift of another library. */
export function MissedForm({ desk, week, admin, change }) {
    const own = desk.info?.library || desk.config.domain;
    const shifts = week.shifts.filter((s) => admin || s.institution === own);
    const names = new Map(week.members.map((m) => [m.domain, m.name]));
    const [miss, setMiss] = useState({ shift: '', date: '', reason: '' });
    const [makeUp, setMakeUp] = useState({ missed: '', date: '', start: '', end: '' });
    const [id] = useState(() => uid('missed'));
    const missField = binder(`${id}-miss`, miss, setMiss);
    const makeUpField = binder(`${id}-makeup`, makeUp, setMakeUp);
    const record = (event) => {
        event.preventDefault();
        change('set', 'missed', { ...miss, reason: miss.reason.trim() }, undefined,
            `Missed shift of ${miss.date} recorded.`);
    };
    const madeUp = (event) => {
        event.preventDefault();
        change('set', 'make-up', makeUp, undefined, `Make-up on ${makeUp.date} recorded.`);
    };
    return html`
        <h3>Missed shifts</h3>
        <form class="action-form" aria-label="Missed shift" onSubmit=${record}>
            <h4>Record a missed shift</h4>
            <div class="field wide"><label for=${`${id}-miss-shift`}>Shift missed</label>
                <select required ...${missField('shift')}><option value="">Choose…</option>
                    ${shifts.map((s) => html`<option value=${s.id}>${shiftTitle(s, names)}
                    </option>`)}</select></div>
            <div class="field"><label for=${`${id}-miss-date`}>Date missed</label>
                <input type="date" required ...${missField('date')} /></div>
            <div class="field wide"><label for=${`${id}-miss-reason`}>Reason</label>
                <input type="text" maxLength="255" ...${missField('reason')} /></div>
            <div class="actions"><button type="submit">Record missed shift</button></div>
        </form>
        ${week.missed.length > 0 && html`
        <form class="action-form" aria-label="Make-up" onSubmit=${madeUp}>
            <h4>Record its make-up</h4>
            <div class="field wide"><label for=${`${id}-makeup-missed`}>Missed shift</label>
                <select required ...${makeUpField('missed')}><option value="">Choose…</option>
                    ${week.missed.map((m) => html`<option value=${m.id}>${m.date}${m.reason
                        ? ` (${m.reason})` : ''}</option>`)}</select></div>
            <div class="field"><label for=${`${id}-makeup-date`}>Made up on</label>
                <input type="date" required ...${makeUpField('date')} /></div>
            <${Time} label="From" bind=${makeUpField('start')} />
            <${Time} label="To" bind=${makeUpField('end')} />
            <div class="actions"><button type="submit">Record make-up</button></div>
        </form>`}`;
}
