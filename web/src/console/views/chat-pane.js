import { useEffect, useRef, useState } from 'preact/hooks';
import { attempt, clock, html, keyed, uid } from './html.js';
import { KnowledgePanel } from '../knowledge/panel.js';
import { Details } from './patron-chats.js';

// Where the focus goes when a pane opens or a chat ends: what the librarian does next there.
export const COMPOSER = '.chat-pane textarea[name=line]';
export const NOTE_COMPOSER = '.chat-pane textarea[name=note]';
const CLOSE = '.chat-pane button[data-action=close]';
const FIRST_FIELD = '.chat-pane .action-form :is(select, textarea, input)';

const PATRON_STATE = { here: '', left: 'The patron left the chat.',
    reconnected: 'The patron is back.' };

/** One chat: the conversation (or Patron Information), what to say, and what to do. */
export function ChatPane({ desk, talk }) {
    const [tab, setTab] = useState('chat');
    const [error, setError] = useState('');
    const chat = desk.chats.about(talk.jid);
    const run = (action) => attempt(setError, action);
    const label = chat.name || 'Patron';
    return html`
        <article class="chat-pane" aria-label=${`Chat with ${label}`}>
            <div class="pane-tabs">
                <button type="button" aria-pressed=${tab === 'chat' ? 'true' : 'false'}
                    onClick=${() => setTab('chat')}>Chat</button>
                <button type="button" aria-pressed=${tab === 'info' ? 'true' : 'false'}
                    onClick=${() => setTab('info')}>Patron Information</button>
            </div>
            ${tab === 'info' ? html`<${Details} chat=${chat} />` : html`
                <${Conversation} talk=${talk} label=${label} />
                ${talk.claimed && !talk.ended && html`<${Composer} desk=${desk} talk=${talk} />`}
                ${talk.supervising && !talk.ended && html`<${NoteComposer} desk=${desk}
                    talk=${talk} />`}`}
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <${Actions} desk=${desk} talk=${talk} run=${run} />
            ${talk.claimed && !talk.ended && html`<${KnowledgePanel} desk=${desk} talk=${talk}
                insert=${insertAnswer} />`}
        </article>`;
}

/** Puts `text` in the chat's composer for the librarian to adapt and send. */
function insertAnswer(text) {
    const composer = document.querySelector(COMPOSER);
    if (!composer) return;
    composer.value = composer.value ? `${composer.value}\n${text}` : text;
    composer.focus();
}

function Conversation({ talk, label }) {
    const end = useRef(null);
    useEffect(() => end.current?.scrollIntoView?.({ block: 'nearest' }), [talk.lines.length]);
    return html`
        <div class="log" role="log" aria-label=${`Conversation with ${label}`} tabindex="0">
            ${talk.lines.map((line, index) => html`<${Line} key=${index} line=${line} />`)}
            <span ref=${end}></span>
        </div>
        <p class="patron-state" aria-live="polite">
            ${talk.typing ? `${label} is typing…` : PATRON_STATE[talk.patron]}</p>`;
}

function Line({ line }) {
    const who = { me: 'You', patron: 'Patron', operator: line.nick || 'Librarian',
        note: `Note from ${line.nick || 'staff'}`, system: 'Notice' }[line.sender];
    return html`
        <p class=${`line ${line.sender}`}>
            <span class="who">${who}</span>
            <span class="at">${clock(line.at)}</span>
            ${line.script && html`<span class="mark script">script: ${line.script}</span>`}
            <span class="body">${line.body}</span>
            ${line.sender === 'me' && html`<span class="mark">${line.delivered
                ? html`<span aria-hidden="true">✓ </span>delivered` : 'sending'}</span>`}
        </p>`;
}

function Composer({ desk, talk }) {
    const id = useRef(uid('say')).current;
    const send = (event) => {
        event.preventDefault();
        const field = event.target.elements.line;
        const text = field.value.trim();
        if (!text) return;
        desk.chats.send(talk.jid, text);
        field.value = '';
    };
    const typing = (event) => desk.chats.sendState(talk.jid,
        event.target.value ? 'composing' : 'active');
    const enter = (event) => {
        if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            event.target.form.requestSubmit();
        }
    };
    return html`
        <form class="composer" onSubmit=${send}>
            <label for=${id}>Message to the patron</label>
            <textarea id=${id} name="line" rows="2" maxlength="4000" onInput=${typing}
                onKeyDown=${enter} onBlur=${() => desk.chats.sendState(talk.jid, 'paused')}>
            </textarea>
            <button type="submit">Send</button>
        </form>`;
}

function NoteComposer({ desk, talk }) {
    const id = useRef(uid('note')).current;
    const send = (event) => {
        event.preventDefault();
        const field = event.target.elements.note;
        if (!field.value.trim()) return;
        desk.chats.note(talk.jid, field.value.trim());
        field.value = '';
    };
    return html`
        <form class="composer note" onSubmit=${send}>
            <label for=${id}>Internal note (staff only, never shown to the patron)</label>
            <textarea id=${id} name="note" rows="2" maxlength="4000"></textarea>
            <button type="submit">Add note</button>
        </form>`;
}

function Actions({ desk, talk, run }) {
    const [open, setOpen] = useState(null);
    const jid = talk.jid;
    const toggle = (name) => {
        setOpen(open === name ? null : name);
        if (open !== name) desk.focusOn(FIRST_FIELD);
    };
    // Escape closes an open form and gives the focus back to the button that opened it.
    const escape = (event) => {
        if (event.key !== 'Escape' || !open) return;
        event.stopPropagation();
        setOpen(null);
        desk.focusOn(`.chat-pane button[data-action=${open}]`);
    };
    // Ending, blocking or handing on leaves the chat's Close button as what comes next.
    const finish = (action) => run(async () => {
        await action();
        desk.focusOn(CLOSE);
    });
    const claimed = talk.claimed && !talk.ended;
    const watching = talk.supervising && !talk.ended;
    const expander = (name, label) => html`<button type="button" data-action=${name}
        aria-expanded=${open === name ? 'true' : 'false'}
        onClick=${() => toggle(name)}>${label}</button>`;
    return html`
        <div class="actions" onKeyDown=${escape}>
            ${claimed && html`
                ${expander('transfer', 'Transfer')}
                ${expander('followup', 'Follow-up')}
                <button type="button" onClick=${() => finish(() => desk.chats.end(jid))}>
                    End chat</button>`}
            ${(claimed || watching) && expander('block', 'Block')}
            ${watching && html`<button type="button"
                onClick=${() => run(() => desk.chats.unsupervise(jid))}>Stop supervising</button>`}
            ${talk.ended && html`<button type="button" data-action="close"
                onClick=${() => closePane(desk, jid)}>Close</button>`}
        </div>
        <div class="action-form" onKeyDown=${escape}>
            ${open === 'transfer' && claimed && html`<${Transfer} desk=${desk} jid=${jid}
                run=${run} finish=${finish} />`}
            ${open === 'followup' && claimed && html`<${FollowUp} desk=${desk} jid=${jid}
                run=${run} done=${() => {
                    setOpen(null);
                    desk.focusOn('.chat-pane button[data-action=followup]');
                }} />`}
            ${open === 'block' && !talk.ended && html`<${Block} desk=${desk} jid=${jid}
                run=${finish} />`}
        </div>`;
}

/** Closes an ended chat's pane; the focus goes to the next chat's tab, or to the list. */
function closePane(desk, jid) {
    desk.chats.close(jid);
    const next = desk.chats.open().at(-1);
    desk.focusOn(next ? keyed(next.jid) : '#list-heading');
}

function Transfer({ desk, jid, run, finish }) {
    const [targets, setTargets] = useState(null);
    useEffect(() => {
        run(async () => {
            setTargets(await desk.chats.targets(jid));
            desk.focusOn(FIRST_FIELD);
        });
    }, [jid]);
    const submit = (event) => {
        event.preventDefault();
        const form = new FormData(event.target);
        finish(() => desk.chats.transfer(jid, String(form.get('to')), String(form.get('note'))));
    };
    if (targets === null) return html`<p role="status">Looking for who is online…</p>`;
    if (targets.length === 0) return html`<p role="status">Nobody to transfer to is online now.</p>`;
    return html`
        <form class="transfer" onSubmit=${submit}>
            <label for="transfer-to">Transfer to</label>
            <select id="transfer-to" name="to" required>${targets.map((target) => html`
                <option value=${target.to}>${target.label}${target.institution
                    ? ` (${target.institution})` : ''} — ${target.kind}</option>`)}
            </select>
            <label for="transfer-note">Note for staff</label>
            <textarea id="transfer-note" name="note" rows="2" maxlength="4000"></textarea>
            <button type="submit">Transfer chat</button>
        </form>`;
}

function FollowUp({ desk, jid, run, done }) {
    const submit = (event) => {
        event.preventDefault();
        const note = String(new FormData(event.target).get('note'));
        run(async () => {
            await desk.chats.followUp(jid, note);
            done();
        });
    };
    return html`
        <form class="followup" onSubmit=${submit}>
            <label for="followup-note">Note for the follow-up ticket</label>
            <textarea id="followup-note" name="note" rows="2" maxlength="4000"></textarea>
            <button type="submit">Open follow-up ticket</button>
        </form>`;
}

function Block({ desk, jid, run }) {
    const submit = (event) => {
        event.preventDefault();
        const form = new FormData(event.target);
        run(() => desk.chats.block(jid, Number(form.get('minutes')),
            String(form.get('reason')).trim()));
    };
    return html`
        <form class="block" onSubmit=${submit}>
            <label for="block-minutes">Block for (minutes)</label>
            <input id="block-minutes" name="minutes" type="number" min="1" max="525600"
                value="60" required />
            <label for="block-reason">Reason (kept with the block)</label>
            <input id="block-reason" name="reason" type="text" maxlength="4000" required />
            <button type="submit">Block patron and end chat</button>
        </form>`;
}
