// The "Policy page" section: the library's local admins fill in its page from the template
// (labels and hints per field) and see when it was updated and which co-ops find it out of
// date; each co-op's Co-Op Admins see every member with its last update, which are out of
// date, and set the co-op's age limit (schemas/faq.xsd: policy at faq.<library>; policies
// and policy-age at the co-op's registry).
import { useEffect, useState } from 'preact/hooks';
import { child, children } from '../protocol.js';
import { FAQ, PolicyDate, TEMPLATE, askPolicy, day } from '../knowledge/policy.js';
import { attempt, html, keepsLibraryKnowledge, uid } from './html.js';

const COOP_ADMIN = 'coop-admin';

function administered(desk) {
    return (desk.info?.coops || []).filter((coop) => coop.level === COOP_ADMIN);
}

const ownPage = keepsLibraryKnowledge;

function Policy({ desk }) {
    const coops = administered(desk);
    return html`
        <section class="policy" aria-labelledby="policy-heading">
            <h2 id="policy-heading">Policy page</h2>
            ${ownPage(desk) && html`<${PageEditor} desk=${desk} />`}
            ${coops.map((coop) => html`<${CoopPolicies} key=${coop.id} desk=${desk}
                coop=${coop} />`)}
        </section>`;
}

function PageEditor({ desk }) {
    const [page, setPage] = useState(null);
    const [error, setError] = useState('');
    const [saved, setSaved] = useState('');
    const faq = `faq.${desk.info.library}`;
    const names = Object.fromEntries((desk.info?.coops || []).map((c) => [c.id, c.name]));
    useEffect(() => { attempt(setError, async () => setPage(await askPolicy(desk, faq))); }, []);
    const save = (event) => {
        event.preventDefault();
        const form = event.target.elements;
        const fields = Object.fromEntries(TEMPLATE.map(([name]) => [name, form[name].value]));
        setSaved('');
        attempt(setError, async () => {
            setPage(await askPolicy(desk, faq, 'set', fields));
            setSaved('Policy page saved.');
        });
    };
    return html`
        <form class="policy-editor" onSubmit=${save} aria-labelledby="policy-own">
            <h3 id="policy-own">${desk.info.name}</h3>
            <p>Librarians of your co-ops read this beside your patrons' chats; patrons never
                see it. A field left empty is left off the page.</p>
            ${page && html`<${PolicyDate} page=${page} coopName=${(id) => names[id] || id} />`}
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${page && TEMPLATE.map(([name, label, hint]) => html`<${FieldInput} key=${name}
                name=${name} label=${label} hint=${hint} text=${page.fields[name] || ''} />`)}
            <div class="actions">
                <button type="submit" disabled=${!page}>Save policy page</button>
                <span role="status">${saved}</span>
            </div>
        </form>`;
}

function FieldInput({ name, label, hint, text }) {
    const [id] = useState(() => uid(`policy-${name}`));
    return html`
        <div class="field">
            <label for=${id}>${label}</label>
            <textarea id=${id} name=${name} rows="3" maxlength="10000"
                aria-describedby=${`${id}-hint`}>${text}</textarea>
            <small id=${`${id}-hint`}>${hint}</small>
        </div>`;
}

function readPolicies(result) {
    const policies = child(result, 'policies', FAQ);
    return {
        maxAge: policies?.getAttribute('max-age-days') || '',
        members: children(policies, 'member', FAQ).map((member) => ({
            domain: member.getAttribute('domain'), name: member.getAttribute('name'),
            updated: member.getAttribute('updated') || '',
            stale: member.getAttribute('stale') === 'true' })),
    };
}

function CoopPolicies({ desk, coop }) {
    const [policies, setPolicies] = useState(null);
    const [error, setError] = useState('');
    const [heading] = useState(() => uid('policy-coop'));
    const registry = desk.trust.registryOf(coop);
    const ask = (type, name, attrs = {}) => desk.client.iq(registry, type, (iq) => {
        iq.c(name, { xmlns: FAQ, coop: coop.id, ...attrs });
    });
    const load = () => attempt(setError, async () => {
        setPolicies(readPolicies(await ask('get', 'policies')));
    });
    const setAge = (event) => {
        event.preventDefault();
        const days = event.target.elements.days.value.trim();
        attempt(setError, async () => {
            await ask('set', 'policy-age', { 'max-age-days': days });
            await load();
        });
    };
    useEffect(() => { if (registry) load(); }, [registry]);
    if (!registry) return null;
    return html`
        <section aria-labelledby=${heading}>
            <h3 id=${heading}>${coop.name}: members' policy pages</h3>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${policies && html`
                <form class="policy-age" onSubmit=${setAge}>
                    <label for=${`${heading}-days`}>Out of date after (days)</label>
                    <input id=${`${heading}-days`} name="days" type="number" min="1"
                        max="3650" required defaultValue=${policies.maxAge} />
                    <button type="submit">Set age limit</button>
                </form>
                <table>
                    <thead><tr><th scope="col">Member</th><th scope="col">Last updated</th>
                        <th scope="col">Status</th></tr></thead>
                    <tbody>${policies.members.map((member) => html`
                        <tr key=${member.domain} class=${member.stale ? 'stale' : ''}>
                            <th scope="row">${member.name}</th>
                            <td>${member.updated ? day(member.updated) : 'No page reported'}</td>
                            <td>${member.stale ? 'Out of date' : 'Current'}</td>
                        </tr>`)}</tbody>
                </table>`}
        </section>`;
}

export default {
    id: 'policy',
    title: 'Policy page',
    label: () => 'Policy page',
    shown: (desk) => ownPage(desk) || administered(desk).length > 0,
    view: Policy,
};
