// refdesk's console for librarians, served by the gateway at /console. The page gives the
// library's domain and name in data- attributes (its CSP allows no inline script).
import { render } from 'preact';
import './console.css';
import { Desk } from './desk.js';
import { html } from './views/html.js';
import { Login } from './views/login.js';
import { Shell } from './views/shell.js';

const TICK_MS = 1000; // wait timers count on screen

function config() {
    const { domain, libraryName } = document.body.dataset;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    return { domain, libraryName, websocket: `${scheme}://${window.location.host}/xmpp-websocket`,
        bosh: `${window.location.origin}/http-bind` };
}

function App({ desk }) {
    const loggedIn = desk.status === 'online' || (desk.status === 'offline' && desk.info);
    return loggedIn ? html`<${Shell} desk=${desk} />` : html`<${Login} desk=${desk} />`;
}

/** Where a view asked the focus to go, tried once, right after the draw that follows: a
 *  request left waiting would take the focus away later, from whatever the librarian does. */
function moveFocus(desk) {
    if (!desk.wantFocus) return;
    const target = document.querySelector(desk.wantFocus);
    desk.wantFocus = null;
    target?.focus();
}

function start() {
    const root = document.getElementById('console');
    let queued = false;
    const draw = () => {
        if (queued) return;
        queued = true;
        queueMicrotask(() => {
            queued = false;
            render(html`<${App} desk=${desk} />`, root);
            moveFocus(desk);
        });
    };
    const desk = new Desk(config(), draw);
    setInterval(draw, TICK_MS);
    draw();
    desk.status = 'connecting';
    desk.restore().then((restored) => {
        if (!restored) desk.setStatus('out');
    });
}

start();
