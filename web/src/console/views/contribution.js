// The Contribution Percentage, at each co-op's registry: per member, the chats its librarians
// accepted over the chats its patrons requested, beside the co-op's as a whole, each against
// its target. The registry decides: a member's users see their library's row, Co-Op Admins all.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { askStats, browserZone, dayInput, readContribution } from '../statsask.js';
import { decimal, Figure } from './chart.js';
import { attempt, html, uid } from './html.js';

const COLUMNS = [
    { name: 'name', title: 'Member' }, { name: 'requested', title: 'Chats requested' },
    { name: 'accepted', title: 'Chats accepted' },
    { name: 'percent', title: 'Contribution %', format: (v) => decimal(v) },
    { name: 'target', title: 'Target %', format: (v) => decimal(v) },
    { name: 'standing', title: 'Standing' },
];

function standing(member) {
    if (member.percent === null) return 'no chats requested';
    return member.percent >= member.target ? 'at or above target' : 'below target';
}

function Contribution({ desk }) {
    const [period, setPeriod] = useState({ from: dayInput(30), to: dayInput(0) });
    const [asked, setAsked] = useState(period);
    const field = (name) => ({ id: `contribution-${name}`, value: period[name],
        onInput: (event) => setPeriod({ ...period, [name]: event.currentTarget.value }) });
    return html`
        <section class="contribution" aria-labelledby="contribution-heading">
            <h2 id="contribution-heading">Contribution</h2>
            <p>Chats a library's librarians accepted, whoever the patron, as a percentage of the
                chats its own patrons requested.</p>
            <form class="search" aria-label="Contribution period" onSubmit=${(event) => {
                event.preventDefault();
                setAsked({ ...period });
            }}>
                <div class="field"><label for="contribution-from">From</label>
                    <input type="date" required ...${field('from')} /></div>
                <div class="field"><label for="contribution-to">To</label>
                    <input type="date" required ...${field('to')} /></div>
                <div class="actions"><button type="submit">Show contribution</button></div>
            </form>
            ${(desk.info?.coops || []).map((coop) => html`<${CoopContribution} key=${`${coop.id} ${
                asked.from} ${asked.to}`} desk=${desk} coop=${coop} period=${asked} />`)}
        </section>`;
}

function CoopContribution({ desk, coop, period }) {
    const [answer, setAnswer] = useState(null);
    const [error, setError] = useState('');
    const [heading] = useState(() => uid('contribution-coop'));
    useEffect(() => {
        attempt(setError, async () => setAnswer(readContribution(await askStats(desk,
            desk.trust.registryOf(coop), 'get', 'contribution', { coop: coop.id, ...period,
                zone: browserZone() }))));
    }, []);
    const rows = useMemo(() => (answer ? [...answer.members.map((m) => ({ ...m, key: m.domain,
        label: m.name, standing: standing(m) })), { key: '', name: `${coop.name} as a whole`,
        label: `${coop.name} as a whole`, ...answer.coop, target: null, standing: '' }] : []),
    [answer]);
    return html`
        <section aria-labelledby=${heading}>
            <h3 id=${heading}>${coop.name}</h3>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${answer === null ? !error && html`<p class="empty">Loading…</p>` : html`
                <${Figure} caption=${`Contribution Percentage in ${coop.name}`} columns=${COLUMNS}
                    rows=${rows} series=${[
                        { name: 'percent', title: 'Contribution %' },
                        { name: 'target', title: 'Target %' }]} />`}
        </section>`;
}

export default {
    id: 'contribution',
    title: 'Contribution',
    label: () => 'Contribution',
    shown: (desk) => (desk.info?.coops || []).length > 0,
    view: Contribution,
};
