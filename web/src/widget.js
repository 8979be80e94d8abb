// refdesk's patron chat widget. Embed with one line:
//   <script src="https://<gateway>/widget.js" data-widget="ID" async></script>
// (data-transport="bosh" skips WebSocket). Everything is drawn in a shadow root so that the
// library's styles and ours cannot clash; CSS custom properties still reach in for theming.
import { h } from './dom.js';
import { ChatSession } from './session.js';
import { STYLES } from './styles.js';
import { suggestions } from './suggestions.js';
import * as views from './views.js';

const TICK_MS = 5000; // how often the wait shown counts down between queue updates
// After the chat ends the connection stays open this long at most, so that the patron can
// still ask for the transcript by email; it closes as soon as both rating and email are done.
const AFTER_CHAT_MS = 10 * 60 * 1000;

class Widget {
    constructor(config, transport) {
        this.config = config;
        this.transport = transport;
        // The conversation as it happened, each line with its sender and look: the log is
        // drawn from it and the copy the patron downloads is written from it.
        this.lines = [];
        this.operator = null; // the librarian in the chat now; null while in the queue
        this.queueing = null; // while in the queue: why, and its latest status
        this.ended = false;
    }

    mount() {
        const host = h('div', { 'data-refdesk-widget': this.config.id });
        const root = host.attachShadow({ mode: 'open' });
        this.launcher = h('button', { type: 'button', class: 'launcher',
            'aria-expanded': 'false', 'aria-controls': 'refdesk-panel',
            onclick: () => this.toggle() }, this.config.name);
        this.body = h('div', { class: 'body' });
        this.connection = h('p', { class: 'meta connection', role: 'status' });
        this.panel = h('section', { id: 'refdesk-panel', class: 'panel', hidden: true,
            'aria-labelledby': 'refdesk-title', onkeydown: (event) => {
                if (event.key === 'Escape') this.toggle();
            } },
        h('header', {}, h('h2', { id: 'refdesk-title' }, this.config.name),
            h('button', { type: 'button', 'aria-label': 'Minimize chat',
                onclick: () => this.toggle() }, '–')),
        this.connection, this.body);
        root.append(h('style', {}, STYLES), this.panel, this.launcher);
        document.body.append(host);
    }

    toggle() {
        const opening = this.panel.hidden;
        this.panel.hidden = !opening;
        this.launcher.setAttribute('aria-expanded', String(opening));
        if (!opening) return this.launcher.focus();
        if (!this.session) return this.start();
        return this.focusFirst();
    }

    show(...nodes) {
        this.body.replaceChildren(...nodes.flat());
        this.focusFirst();
    }

    focusFirst() {
        const target = this.body.querySelector('textarea, input, button, [role=alert]');
        if (target) target.focus();
    }

    async start() {
        this.show(views.connecting());
        this.session = new ChatSession(this.config, this.transport);
        this.listen();
        try {
            const transport = await this.session.connect();
            this.panel.dataset.transport = transport;
            const online = await this.session.online();
            this.show(online ? views.preChat((f) => this.ask(f), this.suggest())
                : views.offline((f) => this.leave(f), this.suggest()));
        } catch (error) {
            this.session.close();
            this.session = null;
            this.show(views.problem(error.message, () => this.start()));
        }
    }

    listen() {
        const on = (type, handler) => this.session.addEventListener(type,
            (event) => handler(event.detail));
        on('offline', () => { this.connection.textContent = 'Connection lost. Reconnecting…'; });
        on('connected', () => { this.connection.textContent = ''; });
        on('resume-failed', ({ error }) => {
            this.connection.textContent = `Could not rejoin the chat: ${error}`;
        });
        on('queue', (status) => this.queued(status));
        on('claimed', (operator) => this.claimed(operator));
        on('transferred', ({ to, note }) => this.backInQueue({ to },
            `You are being transferred to ${to}.${note ? ` ${note}` : ''}`));
        on('requeued', ({ reason }) => this.backInQueue({ reason }, requeuedText(
            this.operator?.nick || 'Your librarian', reason)));
        on('message', ({ body }) => this.add({ kind: 'theirs',
            who: this.operator?.nick || 'Librarian', body }));
        on('notice', ({ body }) => this.add({ kind: 'system', body }));
        on('typing', ({ typing }) => this.typing(typing));
        on('line', (change) => this.lineChanged(change));
        on('ended', () => this.showRating());
    }

    async ask(fields) {
        this.you = fields.name || 'You';
        this.email = fields.email || '';
        this.show(views.waiting(() => this.cancel()));
        this.queueing = { status: null };
        try {
            await this.session.ask(fields);
            this.add({ kind: 'mine', who: this.you, body: fields.question });
        } catch (error) {
            this.queueing = null;
            this.show(views.problem(error.message, () => this.start()));
        }
    }

    async leave(fields) {
        try {
            await this.session.leaveQuestion(fields);
            this.show(views.left());
        } catch (error) {
            this.show(views.problem(error.message, () => this.start()));
        }
    }

    async cancel() {
        await this.session.cancel().catch(() => {});
        this.stopWaiting();
        this.lines = [];
        this.show(h('p', { role: 'status' }, 'You left the queue.'),
            views.preChat((f) => this.ask(f), this.suggest()));
    }

    /** Suggested answers under the question, from the library's public FAQs, searched over
     *  the chat's own connection (opened with the panel, so an idle page costs nothing). */
    suggest() {
        if (!this.config.faq) return null;
        return (textarea) => suggestions(textarea,
            (words, max) => this.session.searchFaqs(words, max));
    }

    // --- who the patron is talking to ---------------------------------------------------

    claimed(operator) {
        this.operator = operator;
        this.stopWaiting();
        if (!this.log()) this.showConversation();
        this.add({ kind: 'system',
            body: `${operator.nick} from ${operator.institution} joined the chat.` });
        this.refreshStatus();
    }

    /** Transferred, or the librarian left: the conversation stays, the queue status shows. */
    backInQueue(why, notice) {
        if (!this.log()) return; // never claimed: the waiting screen says it all
        this.operator = null;
        this.typing(false);
        this.add({ kind: 'system', body: notice });
        this.queueing = { ...why, status: null };
        this.refreshStatus();
        this.tick();
    }

    queued(status) {
        if (!this.queueing) return; // a late update: a librarian has the chat
        this.queueing.status = { ...status, at: Date.now() };
        this.refreshStatus();
        this.tick();
    }

    tick() {
        if (!this.ticker) this.ticker = setInterval(() => this.refreshStatus(), TICK_MS);
    }

    stopWaiting() {
        this.queueing = null;
        clearInterval(this.ticker);
        this.ticker = null;
    }

    refreshStatus() {
        const element = this.body.querySelector('[data-status], [data-queue]');
        const text = this.statusText();
        if (!element || element.textContent === text) return;
        const log = this.log();
        const atEnd = log && log.scrollHeight - log.scrollTop - log.clientHeight < 8;
        element.textContent = text;
        element.classList.toggle('queueing', Boolean(this.queueing && log));
        // A longer status shrinks the log: keep the newest line in sight, unless the patron
        // had scrolled back to read.
        if (atEnd) this.scrollLog();
    }

    statusText() {
        if (this.operator) {
            return `You are chatting with ${this.operator.nick} (${this.operator.institution}).`;
        }
        const { to, reason, status } = this.queueing || {};
        const where = to ? `Waiting for ${to}.` : reason ? 'You are back in the queue.' : '';
        if (!status) return where || 'Waiting for a librarian…';
        const elapsedS = (Date.now() - status.at) / 1000;
        return [where, views.queueText(status, elapsedS)].filter(Boolean).join(' ');
    }

    typing(on) {
        const element = this.body.querySelector('[data-typing]');
        if (element) element.textContent = on && this.operator
            ? `${this.operator.nick} is typing…` : '';
    }

    // --- the conversation -----------------------------------------------------------------

    showConversation() {
        this.show(views.conversation({
            send: (body) => this.send(body),
            typing: (on) => this.session.sendState(on ? 'composing' : 'active'),
            end: () => this.end(),
        }));
        for (const entry of this.lines) this.draw(entry);
    }

    log() {
        return this.body.querySelector('.log');
    }

    send(body) {
        const id = this.session.sendLine(body);
        this.add({ kind: 'mine', who: this.you, body, id, state: 'sending' });
    }

    add(entry) {
        this.lines.push({ time: new Date(), ...entry });
        this.draw(this.lines[this.lines.length - 1]);
    }

    /** Appends a line to the log as it was said; a librarian is named when the speaker
     *  changes, so that a transfer shows who said what. */
    draw(entry) {
        const log = this.log();
        if (!log) return;
        const last = this.lines.slice(0, this.lines.indexOf(entry))
            .reverse().find((other) => other.kind === 'theirs');
        entry.element = views.line(entry, { showWho: entry.kind === 'theirs'
            && entry.who !== last?.who });
        if (entry.state) this.drawState(entry);
        log.append(entry.element);
        this.scrollLog();
    }

    scrollLog() {
        const log = this.log();
        if (log) log.scrollTop = log.scrollHeight;
    }

    drawState(entry) {
        entry.element.querySelector('.state')?.remove();
        entry.element.append(views.lineState(entry.state, { reason: entry.reason,
            retry: () => {
                this.session.retryLine(entry.id);
                this.body.querySelector('textarea')?.focus(); // the button is gone now
            } }));
    }

    lineChanged({ id, state, reason }) {
        const entry = this.lines.find((line) => line.id === id);
        if (!entry || entry.state === 'delivered') return;
        Object.assign(entry, { state, reason });
        if (entry.element) this.drawState(entry);
    }

    async end() {
        if (this.queueing) return this.leaveWaiting();
        await this.session.end().catch(() => {});
        return this.showRating();
    }

    /** Ending while back in the queue: nobody is in the chat to rate, so the patron leaves. */
    async leaveWaiting() {
        await this.session.cancel().catch(() => {});
        this.stopWaiting();
        this.ended = true;
        this.show(h('p', { role: 'status' }, 'You left the chat.'), this.transcriptLink());
        this.session.close();
    }

    showRating() {
        if (this.ended) return;
        this.ended = true;
        this.stopWaiting();
        this.afterChat = { rated: false, emailed: false,
            timer: setTimeout(() => this.closeAfterChat(), AFTER_CHAT_MS) };
        this.emailForm = views.emailTranscript((to) => this.emailTranscript(to), this.email);
        this.show(views.rating((fields) => this.rate(fields), this.emailForm,
            this.transcriptLink()));
    }

    async rate({ score, comment }) {
        await this.session.rate(score, comment || '').catch(() => {});
        this.show(views.thanks(this.emailForm, this.transcriptLink()));
        this.afterChat.rated = true;
        this.closeAfterChat(false);
    }

    async emailTranscript(to) {
        await this.session.emailTranscript(to);
        this.afterChat.emailed = true;
        this.closeAfterChat(false);
    }

    /** Ends the connection once nothing is left to do after the chat (or `now`). */
    closeAfterChat(now = true) {
        const { rated, emailed, timer } = this.afterChat;
        if (!now && !(rated && emailed)) return;
        clearTimeout(timer);
        this.session.close();
    }

    transcriptLink() {
        const text = this.lines.map(({ time, kind, who, body, state }) =>
            `[${time.toLocaleTimeString()}] ${kind === 'system' ? '' : `${who}: `}${body}`
            + (state && state !== 'delivered' ? ' (not delivered)' : '')).join('\n');
        return views.transcriptLink(`${this.config.name}\n\n${text}\n`);
    }
}

function requeuedText(nick, reason) {
    const what = reason === 'silent' ? `${nick} has not answered for a while.`
        : `${nick} was disconnected.`;
    return `${what} You are back in the queue; the next librarian will take over.`;
}

async function boot(script) {
    const gateway = new URL(script.src).origin;
    const id = script.dataset.widget;
    const response = await fetch(`${gateway}/widgets/${encodeURIComponent(id)}`);
    if (!response.ok) throw new Error(`unknown widget ${id}`);
    const config = await response.json();
    const ws = gateway.replace(/^http/, 'ws');
    const widget = new Widget({ ...config, websocket: ws + config.websocket,
        bosh: gateway + config.bosh }, script.dataset.transport);
    widget.mount();
}

const script = document.currentScript
    || document.querySelector('script[data-widget][src$="/widget.js"]');
boot(script).catch((error) => console.error('refdesk widget:', error));
