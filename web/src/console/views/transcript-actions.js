// What a home admin does with a transcript: leave feedback with a rating, email it, forward it
// to a co-op's Quality team with a concern, delete it (after a confirmation). The archive
// (and the registry) decide again; these forms only ask.
import { useState } from 'preact/hooks';
import { ARCHIVE, ask, QUALITY } from '../archive.js';
import { attempt, html, uid } from './html.js';

function useForm() {
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [id] = useState(() => uid('form'));
    const submit = (action) => (event) => {
        event.preventDefault();
        setBusy(true);
        attempt(setError, action).finally(() => setBusy(false));
    };
    return { error, busy, id, submit };
}

function Problem({ error }) {
    return error ? html`<p class="error" role="alert">${error}</p>` : null;
}

export function Feedback({ chat, request, reload }) {
    const [text, setText] = useState('');
    const [rating, setRating] = useState('');
    const form = useForm();
    const save = form.submit(async () => {
        await request('set', 'feedback', (iq) => iq.c('feedback', {
            xmlns: ARCHIVE, id: chat.id, ...(rating ? { rating } : {}) }).t(text));
        setText('');
        setRating('');
        await reload();
    });
    return html`
        <form class="action-form" aria-labelledby=${`${form.id}-h`} onSubmit=${save}>
            <h3 id=${`${form.id}-h`}>Leave feedback</h3>
            <label for=${`${form.id}-text`}>Feedback for the librarian</label>
            <textarea id=${`${form.id}-text`} rows="3" required value=${text}
                onInput=${(event) => setText(event.currentTarget.value)} />
            <label for=${`${form.id}-rating`}>Rating</label>
            <select id=${`${form.id}-rating`} value=${rating}
                onChange=${(event) => setRating(event.currentTarget.value)}>
                <option value="">No rating</option>
                ${[5, 4, 3, 2, 1].map((n) => html`<option value=${n}>${n} of 5</option>`)}
            </select>
            <${Problem} error=${form.error} />
            <div class="actions"><button type="submit" disabled=${form.busy}>Save feedback</button></div>
        </form>`;
}

export function EmailTranscript({ desk, chat, request }) {
    const [to, setTo] = useState('');
    const [sent, setSent] = useState('');
    const form = useForm();
    const send = form.submit(async () => {
        await request('set', 'email-transcript', (iq) => iq.c('email-transcript',
            { xmlns: ARCHIVE, id: chat.id, to: to.trim() }));
        const said = `Transcript emailed to ${to.trim()}.`;
        desk.say(said);
        setSent(said);
        setTo('');
    });
    return html`
        <form class="action-form" aria-labelledby=${`${form.id}-h`} onSubmit=${send}>
            <h3 id=${`${form.id}-h`}>Email the transcript</h3>
            <label for=${`${form.id}-to`}>Email address</label>
            <input id=${`${form.id}-to`} type="email" required value=${to}
                onInput=${(event) => setTo(event.currentTarget.value)} />
            <${Problem} error=${form.error} />
            ${sent && html`<p class="done">${sent}</p>`}
            <div class="actions"><button type="submit" disabled=${form.busy}>Send email</button></div>
        </form>`;
}

/** Only the co-ops the chat was offered to that the librarian follows have a team to ask. */
/** The chat's co-ops whose Quality team this librarian may forward it to: as a Co-Op Admin,
 * or as an Institution Admin of the patron's library (the registry's rule). */
function coopsOf(desk, chat) {
    const ids = chat.coops.split(/\s+/).filter(Boolean);
    const ownPatron = chat.library === desk.info?.library;
    return (desk.info?.coops || []).filter((coop) => ids.includes(coop.id)
        && desk.trust.registryOf(coop)
        && (coop.level === 'coop-admin' || (coop.level === 'institution-admin' && ownPatron)));
}

export function Forward({ desk, chat }) {
    const coops = coopsOf(desk, chat);
    const [coopId, setCoop] = useState(coops[0]?.id || '');
    const [concern, setConcern] = useState('');
    const [sent, setSent] = useState('');
    const form = useForm();
    if (coops.length === 0) return null;
    const send = form.submit(async () => {
        const coop = coops.find((c) => c.id === coopId);
        const registry = desk.trust.registryOf(coop);
        const recorded = await ask(desk, registry, 'set', 'case', (iq) => iq.c('forward', {
            xmlns: QUALITY, coop: coop.id, library: chat.library, chat: chat.id,
        }).c('concern').t(concern.trim()), QUALITY);
        const said = `Forwarded to the Quality team of ${coop.name}`
            + (recorded?.getAttribute('id') ? ` (case ${recorded.getAttribute('id')}).` : '.');
        desk.say(said);
        setSent(said);
        setConcern('');
    });
    return html`
        <form class="action-form" aria-labelledby=${`${form.id}-h`} onSubmit=${send}>
            <h3 id=${`${form.id}-h`}>Forward to Quality</h3>
            <label for=${`${form.id}-coop`}>Co-op</label>
            <select id=${`${form.id}-coop`} value=${coopId}
                onChange=${(event) => setCoop(event.currentTarget.value)}>
                ${coops.map((coop) => html`<option value=${coop.id}>${coop.name}</option>`)}
            </select>
            <label for=${`${form.id}-concern`}>Concern</label>
            <textarea id=${`${form.id}-concern`} rows="3" required maxLength="2000"
                value=${concern} onInput=${(event) => setConcern(event.currentTarget.value)} />
            <${Problem} error=${form.error} />
            ${sent && html`<p class="done">${sent}</p>`}
            <div class="actions"><button type="submit" disabled=${form.busy}>Forward to Quality</button></div>
        </form>`;
}

export function DeleteTranscript({ desk, chat, request, onDeleted }) {
    const [asking, setAsking] = useState(false);
    const form = useForm();
    const remove = form.submit(async () => {
        await request('set', 'delete', (iq) => iq.c('delete', { xmlns: ARCHIVE, id: chat.id }));
        desk.say('Transcript deleted, for everyone.');
        onDeleted();
    });
    if (!asking) {
        return html`<div class="actions"><button type="button" class="danger"
            onClick=${() => setAsking(true)}>Delete transcript…</button></div>`;
    }
    return html`
        <form class="action-form confirm" aria-labelledby=${`${form.id}-h`}
            onSubmit=${remove}>
            <h3 id=${`${form.id}-h`}>Delete this transcript for everyone?</h3>
            <p>It is gone from ${chat.library} and from every co-op at once; this cannot be
                undone.</p>
            <${Problem} error=${form.error} />
            <div class="actions"><button type="submit" class="danger"
                disabled=${form.busy}>Delete for good</button>
                <button type="button" onClick=${() => setAsking(false)}>Keep it</button></div>
        </form>`;
}
