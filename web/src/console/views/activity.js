// Monitoring activity, at each co-op's registry: the librarian's own monitoring per day, and
// (Institution and Co-Op Admins) the hours each member's librarians monitored against the
// hours its shifts scheduled. The registry decides whose rows an admin sees.
import { useEffect, useState } from 'preact/hooks';
import { askStats, browserZone, dayInput, readActivity } from '../statsask.js';
import { decimal, Figure } from './chart.js';
import { attempt, html, uid } from './html.js';

const hours = (value) => decimal(value, 2);
const MINE = [{ name: 'key', title: 'Day' }, { name: 'hours', title: 'Hours', format: hours },
    { name: 'sessions', title: 'Sessions' }];
const INSTITUTIONS = [{ name: 'label', title: 'Institution' },
    { name: 'hours', title: 'Hours monitored', format: hours },
    { name: 'scheduled', title: 'Hours scheduled', format: hours },
    { name: 'sessions', title: 'Sessions' }, { name: 'operators', title: 'Librarians' }];
const ADMINS = new Set(['institution-admin', 'coop-admin']);

function Activity({ desk }) {
    const [period, setPeriod] = useState({ from: dayInput(30), to: dayInput(0) });
    const [asked, setAsked] = useState(period);
    const field = (name) => ({ id: `activity-${name}`, value: period[name],
        onInput: (event) => setPeriod({ ...period, [name]: event.currentTarget.value }) });
    const submit = (event) => {
        event.preventDefault();
        setAsked({ ...period });
    };
    return html`
        <section class="activity" aria-labelledby="activity-heading">
            <h2 id="activity-heading">Monitoring activity</h2>
            <form class="search" aria-label="Activity period" onSubmit=${submit}>
                <div class="field"><label for="activity-from">From</label>
                    <input type="date" required ...${field('from')} /></div>
                <div class="field"><label for="activity-to">To</label>
                    <input type="date" required ...${field('to')} /></div>
                <div class="actions"><button type="submit">Show activity</button></div>
            </form>
            ${(desk.info?.coops || []).map((coop) => html`<${CoopActivity} key=${`${coop.id} ${
                asked.from} ${asked.to}`} desk=${desk} coop=${coop} period=${asked} />`)}
        </section>`;
}

function CoopActivity({ desk, coop, period }) {
    const [mine, setMine] = useState(null);
    const [institutions, setInstitutions] = useState(null);
    const [error, setError] = useState('');
    const [heading] = useState(() => uid('activity-coop'));
    const ask = async (kind) => readActivity(await askStats(desk, desk.trust.registryOf(coop),
        'get', 'activity', { kind, coop: coop.id, ...period, zone: browserZone() }));
    useEffect(() => {
        attempt(setError, async () => {
            setMine((await ask('mine')).tables[0]?.rows || []);
            if (ADMINS.has(coop.level)) {
                setInstitutions((await ask('institutions')).tables[0]?.rows || []);
            }
        });
    }, []);
    return html`
        <section aria-labelledby=${heading}>
            <h3 id=${heading}>${coop.name}</h3>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${mine === null ? !error && html`<p class="empty">Loading…</p>` : html`
                <${Figure} caption=${`Your monitoring of ${coop.name}`} type="bar" columns=${MINE}
                    rows=${mine} series=${[{ name: 'hours', title: 'Hours' }]} />`}
            ${institutions && html`<${Figure} caption=${`Hours by institution in ${coop.name}`}
                columns=${INSTITUTIONS} rows=${institutions} series=${[
                    { name: 'hours', title: 'Monitored' },
                    { name: 'scheduled', title: 'Scheduled' }]} />`}
        </section>`;
}

export default {
    id: 'activity',
    title: 'Monitoring activity',
    label: () => 'Monitoring activity',
    shown: (desk) => (desk.info?.coops || []).length > 0,
    view: Activity,
};
