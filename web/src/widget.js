// refdesk's patron chat widget. Embed with one line:
//   <script src="https://<gateway>/widget.js" data-widget="ID" async></script>
// (data-transport="bosh" skips WebSocket). Everything is drawn in a shadow root so that the
// library's styles and ours cannot clash; CSS custom properties still reach in for theming.
import { h } from './dom.js';
import { ChatSession } from './session.js';
import { STYLES } from './styles.js';
import * as views from './views.js';

class Widget {
    constructor(config, transport) {
        this.config = config;
        this.transport = transport;
        this.lines = [];
        this.operator = null;
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
            this.show(online ? views.preChat((f) => this.ask(f))
                : views.offline((f) => this.leave(f)));
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
        on('queue', (status) => {
            const element = this.body.querySelector('[data-queue]');
            if (element) element.textContent = views.queueText(status);
        });
        on('claimed', (operator) => this.claimed(operator));
        on('message', ({ body }) => this.addLine(this.operator?.nick || 'Librarian', body));
        on('typing', ({ typing }) => this.typing(typing));
        on('delivered', ({ id }) => this.delivered(id));
        on('ended', () => this.showRating());
    }

    async ask(fields) {
        this.show(views.waiting(() => this.cancel()));
        try {
            await this.session.ask(fields);
            this.record(fields.name || 'You', fields.question);
        } catch (error) {
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
        this.lines = [];
        this.show(h('p', { role: 'status' }, 'You left the queue.'),
            views.preChat((f) => this.ask(f)));
    }

    claimed(operator) {
        this.operator = operator;
        this.show(views.conversation({
            send: (body) => this.send(body),
            typing: (on) => this.session.sendState(on ? 'composing' : 'active'),
            end: () => this.end(),
        }));
        this.body.querySelector('[data-operator]').textContent =
            `You are chatting with ${operator.nick} (${operator.institution}).`;
        const log = this.body.querySelector('.log');
        for (const { who, body } of this.lines) log.append(views.line(who, body, { mine: true }));
        this.addLine('', `${operator.nick} from ${operator.institution} joined the chat.`,
            { system: true });
    }

    send(body) {
        const id = this.session.sendLine(body);
        this.addLine('You', body, { mine: true }).dataset.id = id;
    }

    addLine(who, body, options = {}) {
        this.record(options.system ? '' : who, body);
        const item = views.line(who, body, options);
        const log = this.body.querySelector('.log');
        if (log) {
            log.append(item);
            log.scrollTop = log.scrollHeight;
        }
        return item;
    }

    record(who, body) {
        this.lines.push({ time: new Date(), who, body });
    }

    typing(on) {
        const element = this.body.querySelector('[data-typing]');
        if (element) element.textContent = on ? `${this.operator.nick} is typing…` : '';
    }

    delivered(id) {
        const item = this.body.querySelector(`p[data-id="${CSS.escape(id)}"]`);
        if (item) item.append(' ', h('span', { class: 'delivered' }, '✓ delivered'));
    }

    async end() {
        await this.session.end().catch(() => {});
        this.showRating();
    }

    showRating() {
        if (this.ended) return;
        this.ended = true;
        this.show(views.rating((fields) => this.rate(fields), this.transcriptLink()));
    }

    async rate({ score, comment }) {
        await this.session.rate(score, comment || '').catch(() => {});
        this.show(views.thanks(this.transcriptLink()));
        this.session.close();
    }

    transcriptLink() {
        const text = this.lines.map(({ time, who, body }) =>
            `[${time.toLocaleTimeString()}] ${who ? `${who}: ` : ''}${body}`).join('\n');
        return views.transcriptLink(`${this.config.name}\n\n${text}\n`);
    }
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
