import { useRef } from 'preact/hooks';
import { clock, html, uid } from './html.js';

const KINDS = [['coop', 'Co-ops'], ['department', 'Departments'], ['staff', 'All staff']];

/** Group chat in the librarian's rooms, and one-to-one with colleagues of other libraries. */
function InternalChat({ desk }) {
    const rooms = [...desk.rooms.list.values()];
    const others = desk.rooms.otherOperators(desk.config.domain,
        (domain, room) => desk.institutionOf(domain, room));
    const shown = desk.rooms.list.get(desk.focus) || desk.direct.get(desk.focus);
    return html`
        <div class="internal">
            <nav class="rooms" aria-label="Internal chat">
                ${KINDS.map(([kind, heading]) => {
                    const some = rooms.filter((room) => room.kind === kind);
                    return some.length > 0 && html`
                        <h2>${heading}</h2>
                        <ul>${some.map((room) => html`<li key=${room.jid}>
                            <${Pick} desk=${desk} jid=${room.jid} label=${room.name}
                                detail=${`${room.occupants.size} online`} /></li>`)}</ul>`;
                })}
                <details open>
                    <summary><h2>Operators from Other Systems</h2></summary>
                    ${others.length === 0 ? html`<p>Nobody from another library is online.</p>`
                        : html`<ul>${others.map((other) => html`<li key=${other.jid}>
                            <${Pick} desk=${desk} jid=${other.jid}
                                label=${`${other.name} (${other.institution})`}
                                open=${() => desk.conversation(other.jid,
                                    `${other.name} (${other.institution})`)} /></li>`)}</ul>`}
                </details>
            </nav>
            ${shown && (shown.occupants ? html`<${RoomPane} desk=${desk} room=${shown} />`
                : html`<${DirectPane} desk=${desk} talk=${shown} />`)}
        </div>`;
}

function Pick({ desk, jid, label, detail, open }) {
    const show = () => {
        if (open) open();
        desk.show(jid);
    };
    return html`<button type="button" aria-pressed=${desk.focus === jid ? 'true' : 'false'}
        onClick=${show}>${label}${detail && html` <span class="detail">(${detail})</span>`}</button>`;
}

function RoomPane({ desk, room }) {
    const occupants = [...room.occupants.values()];
    return html`
        <section class="room-pane" aria-labelledby="room-heading">
            <h2 id="room-heading">${room.name}</h2>
            ${room.error && html`<p class="error">${room.error}</p>`}
            <p class="occupants">Online: ${occupants.map((o) => o.nick).join(', ') || 'nobody'}</p>
            <${Log} label=${`${room.name} chat`} lines=${room.lines} />
            <${Say} label=${`Message to ${room.name}`} send=${(text) => desk.rooms.say(room.jid, text)} />
        </section>`;
}

function DirectPane({ desk, talk }) {
    return html`
        <section class="room-pane" aria-labelledby="direct-heading">
            <h2 id="direct-heading">${talk.name}</h2>
            <${Log} label=${`Chat with ${talk.name}`} lines=${talk.lines} />
            ${talk.typing && html`<p>${talk.name} is typing…</p>`}
            <${Say} label=${`Message to ${talk.name}`} send=${(text) => desk.sayTo(talk.jid, text)} />
        </section>`;
}

function Log({ label, lines }) {
    return html`<div class="log" role="log" aria-label=${label} tabindex="0">
        ${lines.map((line, index) => html`<p key=${index} class=${line.mine ? 'line me' : 'line'}>
            <span class="who">${line.mine ? 'You' : line.nick || 'They'}</span>
            <span class="at">${clock(line.at)}</span>
            <span class="body">${line.body}</span></p>`)}</div>`;
}

function Say({ label, send }) {
    const id = useRef(uid('say')).current;
    const submit = (event) => {
        event.preventDefault();
        const field = event.target.elements.text;
        if (field.value.trim()) send(field.value.trim());
        field.value = '';
    };
    return html`<form class="composer" onSubmit=${submit}>
        <label for=${id}>${label}</label>
        <input id=${id} name="text" type="text" maxlength="4000" autocomplete="off" />
        <button type="submit">Send</button></form>`;
}

export default {
    id: 'internal-chat',
    title: 'Internal Chat',
    label: () => 'Internal Chat',
    view: InternalChat,
};
