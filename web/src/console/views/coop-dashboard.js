// The Co-op dashboard: the librarian's personal summary of each co-op they belong to (their
// level, the month so far: chats they answered, hours they monitored, their library's
// Contribution Percentage; the co-op's chats and members), asked of each co-op's registry.
import { useEffect, useState } from 'preact/hooks';
import { askStats, browserZone, readDashboard } from '../statsask.js';
import { decimal } from './chart.js';
import { attempt, html } from './html.js';
import { libraries } from './names.js';

export const LEVELS = { regular: 'Regular', 'institution-admin': 'Institution Admin',
    'coop-admin': 'Co-Op Admin' };

/** The registries of the librarian's co-ops, each once (a host may keep several co-ops). */
export function registries(desk) {
    return [...new Set((desk.info?.coops || []).map((coop) => desk.trust.registryOf(coop))
        .filter(Boolean))];
}

function Dashboard({ desk }) {
    const [summaries, setSummaries] = useState(null);
    const [error, setError] = useState('');
    const load = () => attempt(setError, async () => {
        const answers = await Promise.all(registries(desk).map(async (registry) => readDashboard(
            await askStats(desk, registry, 'get', 'dashboard', { zone: browserZone() }))));
        setSummaries(answers.flatMap((answer) => answer.coops.map((coop) => ({ ...coop,
            month: answer.month }))));
    });
    useEffect(() => { load(); }, []);
    return html`
        <section class="dashboard" aria-labelledby="dashboard-heading">
            <h2 id="dashboard-heading">Co-op dashboard</h2>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <div class="actions"><button type="button" onClick=${load}>Refresh</button></div>
            ${summaries === null ? !error && html`<p class="empty">Loading…</p>`
                : summaries.length === 0 ? html`<p class="empty">You belong to no co-op.</p>`
                    : summaries.map((coop) => html`<${Summary} key=${coop.id} coop=${coop}
                        institution=${libraries(desk).get(coop.institution)
                            || coop.institution} />`)}
        </section>`;
}

function Summary({ coop, institution }) {
    const heading = `dashboard-${coop.id}`;
    const rows = [
        ['Your level', LEVELS[coop.level] || coop.level],
        ['Your institution', institution],
        ['Chats you answered', coop.answered],
        ['Hours you monitored', decimal(coop.hours, 2)],
        ["Your library's Contribution Percentage", coop.percent === null ? 'no chats asked yet'
            : `${decimal(coop.percent)} %`],
        ["The co-op's chats", coop['coop-chats']],
        ['Members', coop.members],
    ];
    return html`
        <section class="card" aria-labelledby=${heading}>
            <h3 id=${heading}>${coop.name}${coop.month ? ` · ${coop.month}` : ''}</h3>
            <dl class="details">${rows.map(([name, value]) => html`
                <div key=${name}><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>
        </section>`;
}

export default {
    id: 'dashboard',
    title: 'Co-op dashboard',
    label: () => 'Co-op dashboard',
    shown: (desk) => (desk.info?.coops || []).length > 0,
    view: Dashboard,
};
