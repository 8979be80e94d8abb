// The Scripts tab beside a chat (knowledge/panel.js): the patron's library's scripted
// messages, filtered as the librarian types (by name and text). Enter sends the selected one
// (the first match; the arrow keys move the selection), a click sends any: the queue sends
// the library's own text as the librarian's line, and the transcript names the script.
import { useEffect, useRef, useState } from 'preact/hooks';
import { listScripts, matching } from '../scripts.js';
import { attempt, html, uid } from '../views/html.js';

export function ScriptsTab({ desk, talk, faq }) {
    const [scripts, setScripts] = useState(null);
    const [error, setError] = useState('');
    const trusted = desk.trust.faqOf(faq.replace(/^faq\./, ''));
    useEffect(() => {
        if (!trusted) return;
        attempt(setError, async () => setScripts(await listScripts(desk.client, trusted)));
    }, [trusted]);
    if (!trusted) return html`<p class="empty">This chat's library is not one of yours.</p>`;
    if (error) return html`<p class="error" role="alert">${error}</p>`;
    if (scripts === null) return html`<p class="empty" role="status">Loading scripts…</p>`;
    if (scripts.length === 0) return html`<p class="empty">The library has no scripts.</p>`;
    return html`<${Picker} desk=${desk} talk=${talk} scripts=${scripts} />`;
}

function Picker({ desk, talk, scripts }) {
    const ids = useRef({ filter: uid('script-filter'), hint: uid('script-hint') }).current;
    const [typed, setTyped] = useState('');
    const [picked, setPicked] = useState(0);
    const [sent, setSent] = useState('');
    const shown = matching(scripts, typed);
    const selected = shown[Math.min(picked, shown.length - 1)];
    const send = (script) => {
        desk.chats.send(talk.jid, script.text, script.name);
        setSent(`Sent script ${script.name}.`);
    };
    const keys = (event) => {
        const move = { ArrowDown: 1, ArrowUp: -1 }[event.key];
        if (move && shown.length) {
            event.preventDefault();
            setPicked((Math.min(picked, shown.length - 1) + move + shown.length) % shown.length);
        } else if (event.key === 'Enter' && selected) {
            event.preventDefault();
            send(selected);
        }
    };
    return html`
        <div class="scripts">
            <label for=${ids.filter}>Find a script (name or words)</label>
            <input id=${ids.filter} type="search" value=${typed} autocomplete="off"
                aria-describedby=${ids.hint} onKeyDown=${keys}
                onInput=${(event) => { setTyped(event.target.value); setPicked(0); }} />
            <p id=${ids.hint} class="hint">${selected
                ? `Enter sends ${selected.name}; arrow keys choose another.`
                : 'No script matches.'}</p>
            <ul class="script-list" aria-label="Scripts">${shown.map((script) => html`
                <li key=${script.name} class=${script === selected ? 'selected' : ''}>
                    <button type="button" aria-label=${`Send ${script.name}`}
                        aria-current=${script === selected ? 'true' : undefined}
                        onClick=${() => send(script)}>${script.name}</button>
                    <span class="script-text">${script.text}</span>
                </li>`)}
            </ul>
            <p role="status">${sent}</p>
        </div>`;
}
