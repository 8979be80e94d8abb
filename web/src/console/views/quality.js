// Quality review, at each co-op's registry (urn:refdesk:quality:0, schemas/quality.xsd):
// the cases the librarian may see there (the registry decides: the team and Co-Op Admins see
// every case, a library's admins their library's, a librarian the reviewed cases of their
// own sessions), review with comments for the team, and the review rotation, which Co-Op
// Admins set and the team draws from.
import { useEffect, useState } from 'preact/hooks';
import { child, children } from '../protocol.js';
import { attempt, html, uid } from './html.js';

export const QUALITY = 'urn:refdesk:quality:0';
const CASE_ATTRS = ['id', 'coop', 'library', 'chat', 'source', 'state', 'opened', 'librarian',
    'institution', 'forwarded-by', 'reviewed-by', 'reviewed'];
const ROTATION_ATTRS = ['per-library', 'per-librarian', 'every-days', 'last-drawn'];

function readCases(result) {
    return children(child(result, 'cases', QUALITY), 'case', QUALITY).map((element) => ({
        ...Object.fromEntries(CASE_ATTRS.map((name) => [name, element.getAttribute(name) || ''])),
        concern: child(element, 'concern', QUALITY)?.textContent || '',
        comments: child(element, 'comments', QUALITY)?.textContent || '',
    }));
}

function readRotation(result) {
    const element = child(result, 'rotation', QUALITY);
    return Object.fromEntries(ROTATION_ATTRS.map((name) => [name, element?.getAttribute(name)
        || '']));
}

function when(at) {
    return at ? new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })
        : '';
}

function Quality({ desk }) {
    const coops = desk.info?.coops || [];
    return html`
        <section class="quality" aria-labelledby="quality-heading">
            <h2 id="quality-heading">Quality review</h2>
            <p>Sessions forwarded to a co-op's Quality team with a concern, or drawn in its
                sample, and the team's comments to the librarian who handled them.</p>
            ${coops.map((coop) => html`<${CoopQuality} key=${coop.id} desk=${desk}
                coop=${coop} />`)}
        </section>`;
}

function CoopQuality({ desk, coop }) {
    const [cases, setCases] = useState(null);
    const [rotation, setRotation] = useState(null);
    const [error, setError] = useState('');
    const [heading] = useState(() => uid('quality-coop'));
    const registry = `coop.${coop.host}`;
    // A review names its case only; every other request names the co-op.
    const ask = (type, name, attrs, text) => desk.client.iq(registry, type, (iq) => {
        iq.c(name, { xmlns: QUALITY, ...(name === 'review' ? {} : { coop: coop.id }), ...attrs });
        if (text) iq.t(text);
    });
    const load = () => attempt(setError, async () => {
        setCases(readCases(await ask('get', 'cases', { state: 'all' })));
        // Only the team and Co-Op Admins are shown the rotation: for others it stays hidden.
        try {
            setRotation(readRotation(await ask('get', 'rotation', {})));
        } catch {
            setRotation(null);
        }
    });
    const act = (action) => attempt(setError, async () => {
        await action();
        await load();
    });
    useEffect(() => { load(); }, []);
    const open = (cases || []).filter((c) => c.state === 'open');
    const reviewed = (cases || []).filter((c) => c.state === 'reviewed');
    const reviewer = rotation !== null;
    return html`
        <section aria-labelledby=${heading}>
            <h3 id=${heading}>${coop.name}</h3>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <div class="actions"><button type="button" onClick=${load}>Refresh</button></div>
            ${reviewer && html`<${RotationForm} rotation=${rotation} coop=${coop}
                save=${(attrs) => act(async () => {
                    await ask('set', 'rotation', attrs);
                    desk.say('Review rotation saved.');
                })}
                draw=${() => act(async () => {
                    const drawn = readCases(await ask('set', 'draw', {}));
                    desk.say(`Drew ${drawn.length} sessions for review.`);
                })} />`}
            ${cases === null ? html`<p class="empty">Loading…</p>` : html`
                <h4 id=${`${heading}-open`}>Open cases</h4>
                <${Cases} cases=${open} labelledby=${`${heading}-open`}
                    empty="No open case." review=${reviewer && ((item, text) => act(async () => {
                        await ask('set', 'review', { case: item.id }, text);
                        desk.say(`Case ${item.id} reviewed; the comments went to `
                            + `${item.librarian || 'nobody: no librarian handled it'}.`);
                    }))} />
                <h4 id=${`${heading}-reviewed`}>Reviewed</h4>
                <${Cases} cases=${reviewed} labelledby=${`${heading}-reviewed`}
                    empty="No reviewed case." />`}
        </section>`;
}

function Cases({ cases, labelledby, empty, review }) {
    if (cases.length === 0) return html`<p class="empty">${empty}</p>`;
    return html`<ul class="chat-list" aria-labelledby=${labelledby}>${cases.map((item) => html`
        <li key=${item.id}><${CaseItem} item=${item} review=${review} /></li>`)}</ul>`;
}

function CaseItem({ item, review }) {
    const [comments, setComments] = useState('');
    const [field] = useState(() => uid('comments'));
    const rows = [
        ['Case', `${item.id} (${item.source === 'sample' ? 'sample' : 'forwarded'})`],
        ['Chat', `${item.chat} of ${item.library}`],
        ['Handled by', item.librarian && `${item.librarian} (${item.institution})`],
        ['Forwarded by', item['forwarded-by']],
        ['Opened', when(item.opened)],
        ['Concern', item.concern],
        ['Comments', item.comments],
        ['Reviewed', item.reviewed && `${when(item.reviewed)} by ${item['reviewed-by']}`],
    ].filter(([, value]) => value);
    const submit = async (event) => {
        event.preventDefault();
        await review(item, comments.trim());
    };
    return html`
        <div class="preview">
            <dl class="details">${rows.map(([name, value]) => html`
                <div key=${name}><dt>${name}</dt><dd>${value}</dd></div>`)}</dl>
            ${review && html`<form class="review" onSubmit=${submit}>
                <label for=${field}>Comments for the librarian (case ${item.id})</label>
                <textarea id=${field} rows="3" required maxlength="2000" value=${comments}
                    onInput=${(event) => setComments(event.target.value)}></textarea>
                <div class="actions"><button type="submit">Send review</button></div>
            </form>`}
        </div>`;
}

function RotationForm({ rotation, coop, save, draw }) {
    const admin = coop.level === 'coop-admin';
    const [values, setValues] = useState(rotation);
    const [id] = useState(() => uid('rotation'));
    const field = (name, label) => html`<div>
        <label for=${`${id}-${name}`}>${label}</label>
        <input id=${`${id}-${name}`} type="number" min=${name === 'every-days' ? 1 : 0}
            value=${values[name]} readOnly=${!admin}
            onInput=${(event) => setValues({ ...values, [name]: event.target.value })} /></div>`;
    const submit = (event) => {
        event.preventDefault();
        const { 'last-drawn': _, ...attrs } = values;
        save(attrs);
    };
    return html`
        <form class="rotation" onSubmit=${submit} aria-label=${`Review rotation of ${coop.name}`}>
            ${field('per-library', 'Sessions from each library')}
            ${field('per-librarian', 'Sessions from each librarian')}
            ${field('every-days', 'Every how many days')}
            <p>${rotation['last-drawn'] ? `Last drawn ${when(rotation['last-drawn'])}.`
                : 'Not drawn yet.'}</p>
            <div class="actions">
                ${admin && html`<button type="submit">Save rotation</button>`}
                <button type="button" onClick=${draw}>Draw now</button>
            </div>
        </form>`;
}

export default {
    id: 'quality',
    title: 'Quality review',
    label: () => 'Quality review',
    // Anyone with co-op access: the registry shows each only what is theirs to see.
    shown: (desk) => (desk.info?.coops || []).length > 0,
    view: Quality,
};
