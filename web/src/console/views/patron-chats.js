import { useState } from 'preact/hooks';
import { ChatPane, COMPOSER, NOTE_COMPOSER } from './chat-pane.js';
import { attempt, html, keyed, waited } from './html.js';

function PatronChats({ desk }) {
    const chats = desk.chats.ordered();
    const open = desk.chats.open();
    const focus = desk.shownChat();
    // Escape closes the preview and gives the focus back to the chat it shows.
    const escape = (event) => {
        if (event.key !== 'Escape' || !desk.selected) return;
        const jid = desk.selected;
        desk.select(null);
        desk.focusOn(keyed(jid));
    };
    return html`
        <section class="patron-chats" aria-labelledby="list-heading" onKeyDown=${escape}>
            <h2 id="list-heading" tabindex="-1">Patron Chats</h2>
            ${chats.length === 0 ? html`<p class="empty">No patron is waiting.</p>` : html`
                <ul class="chat-list" aria-label="Waiting and active chats">
                    ${chats.map((chat) => html`<${ChatItem} key=${chat.jid} desk=${desk}
                        chat=${chat} />`)}
                </ul>`}
            ${desk.selected && desk.chats.list.has(desk.selected) && html`
                <${Preview} desk=${desk} chat=${desk.chats.list.get(desk.selected)} />`}
        </section>
        ${open.length > 0 && html`
            <section class="open-chats" aria-labelledby="open-heading">
                <h2 id="open-heading">Your chats</h2>
                <ul class="tabs" aria-label="Open chats">${open.map((talk) => html`
                    <li key=${talk.jid}><button type="button" data-key=${talk.jid}
                        aria-pressed=${talk === focus ? 'true' : 'false'}
                        onClick=${() => desk.show(talk.jid)}>${tabName(desk, talk)}${
                        talk.unread > 0 && html` <span class="unread">(${talk.unread} new)</span>`
                    }</button></li>`)}
                </ul>
                <${ChatPane} key=${focus.jid} desk=${desk} talk=${focus} />
            </section>`}`;
}

function tabName(desk, talk) {
    const name = desk.chats.about(talk.jid).name || 'Patron';
    return talk.ended ? `${name} (ended)` : name;
}

function ChatItem({ desk, chat }) {
    const wait = waited(chat.since);
    const taken = chat.state === 'active';
    return html`
        <li class=${`chat-item ${taken ? 'taken' : 'waiting'}${!taken && wait.long ? ' long' : ''}`}>
            <button type="button" data-key=${chat.jid}
                aria-controls=${desk.selected === chat.jid ? 'preview' : null}
                aria-expanded=${desk.selected === chat.jid ? 'true' : 'false'}
                onClick=${() => desk.select(desk.selected === chat.jid ? null : chat.jid)}>
                <span class="name">
                    ${chat.home && html`<span class="home" role="img"
                        aria-label="Patron of your library" title="Patron of your library">⌂</span> `}
                    ${chat.name || 'Patron'}</span>
                <span class="where">${[chat['library-name'] || chat.library,
                    chat['widget-name'] || chat.widget, chat['coop-name']]
                    .filter(Boolean).join(' · ')}</span>
                <span class="wait">${taken
                    ? `Taken by ${chat['taken-nick']}${chat['taken-institution']
                        ? ` (${chat['taken-institution']})` : ''}`
                    : html`Waiting <span class="timer">${wait.text}</span>${wait.long
                        ? html`<strong class="long-wait"> long wait</strong>` : ''}`}</span>
            </button>
        </li>`;
}

export function Details({ chat }) {
    const rows = [
        ['Library', chat['library-name'] || chat.library],
        ['Co-op', chat['coop-name'] || 'none (direct to the library)'],
        ['Widget', chat['widget-name'] || chat.widget],
        ['Site (referring page)', chat.referrer || 'not given'],
        ['Browser', chat.userAgent || 'not given'],
        ['Question', chat.question],
        ...(chat.transfer ? [['Handed on', chat.transfer]] : []),
    ];
    return html`<dl class="details">${rows.map(([term, value]) => html`
        <div><dt>${term}</dt><dd>${value}</dd></div>`)}</dl>`;
}

function Preview({ desk, chat }) {
    const [error, setError] = useState('');
    const claim = () => attempt(setError, async () => {
        await desk.chats.claim(chat.jid);
        desk.selected = null;
        desk.show(chat.jid);
        desk.focusOn(COMPOSER);
    });
    const supervise = () => attempt(setError, async () => {
        await desk.chats.supervise(chat.jid);
        desk.show(chat.jid);
        desk.focusOn(NOTE_COMPOSER);
    });
    const mayWatch = desk.info?.me?.admin && chat.home && chat.state === 'active' && !chat.mine;
    return html`
        <section class="preview" id="preview" aria-labelledby="preview-heading">
            <h3 id="preview-heading">Preview: ${chat.name || 'Patron'}</h3>
            <${Details} chat=${chat} />
            ${chat.state === 'waiting' && html`
                <button type="button" class="primary" onClick=${claim}>Claim chat</button>`}
            ${mayWatch && html`
                <button type="button" onClick=${supervise}>Supervise</button>`}
            ${error && html`<p class="error" role="alert">${error}</p>`}
        </section>`;
}

export default {
    id: 'patron-chats',
    title: 'Patron Chats',
    label: (desk) => {
        const waiting = desk.chats.ordered().filter((c) => c.state === 'waiting').length;
        return waiting ? `Patron Chats (${waiting} waiting)` : 'Patron Chats';
    },
    view: PatronChats,
};
