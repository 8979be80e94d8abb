import { useEffect } from 'preact/hooks';
import { CURRENT_SECTION, html } from './html.js';
import { SECTIONS } from '../sections.js';

export function Shell({ desk }) {
    // The desk shows as soon as the librarian's own queue has answered; the feeds of the
    // co-ops' queues come in after. The focus lands here now, on the first draw, and only
    // where nothing holds it: taken later, it would leave a form the librarian has begun.
    useEffect(() => {
        if (!document.activeElement || document.activeElement === document.body) {
            document.querySelector(CURRENT_SECTION)?.focus();
        }
    }, []);
    const sections = SECTIONS.filter((s) => !s.shown || s.shown(desk));
    const current = sections.find((s) => s.id === desk.section) || sections[0];
    const View = current.view;
    const pick = (section) => {
        desk.section = section.id;
        desk.changed();
    };
    return html`
        <header class="bar">
            <p class="who">${desk.info?.me?.nick || desk.client.jid}
                <span class="library"> · ${desk.config.libraryName}</span></p>
            <p class=${`status ${desk.status}`} role="status">${statusText(desk)}</p>
            <button type="button" onClick=${() => desk.logout()}>Log out</button>
        </header>
        <nav aria-label="Console sections">
            <ul>${sections.map((section) => html`
                <li><button type="button" aria-current=${section === current ? 'page' : null}
                    onClick=${() => pick(section)}>${section.label(desk)}</button></li>`)}
            </ul>
        </nav>
        <main id="section" aria-label=${current.title}>
            <h1 class="visually-hidden">${current.title}</h1>
            <${View} desk=${desk} />
        </main>
        <div class="visually-hidden" aria-live="polite">${desk.notices.map(
            (notice) => html`<p key=${notice.id}>${notice.text}</p>`)}</div>`;
}

function statusText(desk) {
    if (desk.status === 'offline') return 'Connection lost: reconnecting…';
    if (desk.rooms.busy) return 'Busy: at your chat limit, no new offers';
    return desk.client.transport === 'bosh' ? 'Online (BOSH)' : 'Online';
}
