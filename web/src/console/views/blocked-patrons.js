// Blocked patrons, for the admins of the librarian's library (the queue refuses anyone
// else): the blocks in force, then those that ended lately, each with a "Lift block" button
// while in force. Lifting keeps the record; the patron may ask again at once.
import { useEffect, useState } from 'preact/hooks';
import { child, children, CONSOLE } from '../protocol.js';
import { attempt, html, uid } from './html.js';

function readBlocks(result) {
    return children(child(result, 'blocks'), 'block').map((block) => ({
        ...Object.fromEntries(['id', 'state', 'at', 'until', 'by', 'chat', 'lifted-at',
            'lifted-by'].map((name) => [name, block.getAttribute(name) || ''])),
        reason: child(block, 'reason')?.textContent || '',
    }));
}

function when(at) {
    return new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function Time({ at }) {
    return html`<time datetime=${at}>${when(at)}</time>`;
}

function BlockedPatrons({ desk }) {
    const [blocks, setBlocks] = useState(null);
    const [error, setError] = useState('');
    const queue = `queue.${desk.config.domain}`;
    const load = () => attempt(setError, async () => setBlocks(readBlocks(
        await desk.client.iq(queue, 'get', (iq) => iq.c('blocks', { xmlns: CONSOLE })))));
    const lift = (block) => attempt(setError, async () => {
        await desk.client.iq(queue, 'set', (iq) => iq.c('unblock',
            { xmlns: CONSOLE, id: block.id }));
        desk.say(`Block lifted: the patron blocked by ${block.by} may ask again.`);
        await load();
    });
    useEffect(() => { load(); }, []);
    const inForce = (blocks || []).filter((block) => block.state === 'in-force');
    const ended = (blocks || []).filter((block) => block.state !== 'in-force');
    return html`
        <section class="blocked-patrons" aria-labelledby="blocks-heading">
            <h2 id="blocks-heading">Blocked patrons</h2>
            <p>Patrons of your library blocked from chat. Lifting a block lets the patron ask
                again at once; the record and its reason are kept.</p>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <div class="actions"><button type="button" onClick=${load}>Refresh</button></div>
            ${blocks === null ? html`<p class="empty">Loading…</p>` : html`
                <h3 id="in-force-heading">In force</h3>
                <${Blocks} blocks=${inForce} labelledby="in-force-heading" lift=${lift}
                    empty="Nobody is blocked now." />
                <h3 id="ended-heading">Ended lately</h3>
                <${Blocks} blocks=${ended} labelledby="ended-heading"
                    empty="No block has ended lately." />`}
        </section>`;
}

function Blocks({ blocks, labelledby, lift, empty }) {
    if (blocks.length === 0) return html`<p class="empty">${empty}</p>`;
    return html`<ul class="chat-list" aria-labelledby=${labelledby}>${blocks.map((block) => html`
        <li key=${block.id}><${BlockItem} block=${block} lift=${lift} /></li>`)}</ul>`;
}

function BlockItem({ block, lift }) {
    const [described] = useState(() => uid('block'));
    const [busy, setBusy] = useState(false);
    const onLift = async () => {
        setBusy(true);
        await lift(block);
        setBusy(false);
    };
    return html`
        <div class="preview">
            <dl class="details" id=${described}>
                <div><dt>Status</dt><dd>${status(block)}</dd></div>
                <div><dt>Blocked</dt><dd><${Time} at=${block.at} /> by ${block.by}</dd></div>
                <div><dt>Until</dt><dd><${Time} at=${block.until} /></dd></div>
                <div><dt>Reason</dt><dd>${block.reason}</dd></div>
                <div><dt>Chat</dt><dd>${block.chat || 'deleted'}</dd></div>
            </dl>
            ${block.state === 'in-force' && html`<div class="actions">
                <button type="button" aria-describedby=${described} disabled=${busy}
                    onClick=${onLift}>Lift block</button></div>`}
        </div>`;
}

function status(block) {
    if (block.state === 'lifted') {
        return html`Lifted by ${block['lifted-by']} on <${Time} at=${block['lifted-at']} />`;
    }
    return block.state === 'expired' ? 'Expired' : 'In force';
}

export default {
    id: 'blocked-patrons',
    title: 'Blocked patrons',
    label: () => 'Blocked patrons',
    shown: (desk) => Boolean(desk.info?.me?.admin),
    view: BlockedPatrons,
};
