import { useState } from 'preact/hooks';
import { allowNotifications } from '../alerts.js';
import { MAX_CAPACITY } from '../prefs.js';
import { attempt, html } from './html.js';

function Settings({ desk }) {
    const [error, setError] = useState('');
    const rooms = [...desk.rooms.list.values()].filter((room) => room.kind !== 'staff');
    const notifications = async (event) => {
        const on = event.target.checked;
        if (on) await allowNotifications();
        desk.setAlert('notify', on);
    };
    return html`
        <section class="settings">
            <h2>Monitoring</h2>
            <p>Monitored departments and co-ops offer you their new chats. Unticked, you stay in
                the room for its internal chat, shown as away.</p>
            <ul class="switches">${rooms.map((room) => html`<li key=${room.jid}>
                <input type="checkbox" id=${`monitor-${room.jid}`}
                    checked=${desk.prefs.monitors(room.jid)}
                    onChange=${(event) => desk.setMonitoring(room.jid, event.target.checked)} />
                <label for=${`monitor-${room.jid}`}>Monitor ${room.name}</label></li>`)}
            </ul>
            <h2>Capacity</h2>
            <form onSubmit=${(event) => event.preventDefault()}>
                <label for="capacity">Chats I take at once</label>
                <input id="capacity" type="number" min="1" max=${MAX_CAPACITY}
                    value=${desk.prefs.capacity} aria-describedby="capacity-help"
                    onChange=${(event) => attempt(setError,
                        async () => desk.setCapacity(event.target.value))} />
                <p id="capacity-help">At this many chats you are shown as busy and offered no
                    new chat until one ends.</p>
                ${error && html`<p class="error" role="alert">${error}</p>`}
            </form>
            <h2>New chat alerts</h2>
            <ul class="switches">
                <li><input type="checkbox" id="chime" checked=${desk.prefs.chime}
                    onChange=${(event) => desk.setAlert('chime', event.target.checked)} />
                    <label for="chime">Play a chime</label></li>
                <li><input type="checkbox" id="notify" checked=${desk.prefs.notify}
                    onChange=${notifications} />
                    <label for="notify">Show a desktop notification</label></li>
            </ul>
        </section>`;
}

export default {
    id: 'settings',
    title: 'Settings',
    label: () => 'Settings',
    view: Settings,
};
