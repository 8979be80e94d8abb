// The patron's XMPP side of a chat: one anonymous login on guest.<library>, the
// urn:refdesk:queue:0 protocol with the library's queue, and reconnection.
import { $iq, $msg, $pres, Strophe } from 'strophe.js';

const QUEUE = 'urn:refdesk:queue:0';
const RECEIPTS = 'urn:xmpp:receipts';
const STANZA_IDS = 'urn:xmpp:sid:0';
const CHATSTATES = 'http://jabber.org/protocol/chatstates';
const IQ_TIMEOUT_MS = 15000;
const MAX_BACKOFF_MS = 15000;
const LOGIN_TIMEOUT_MS = 8000;
const FAILURES = [Strophe.Status.CONNFAIL, Strophe.Status.AUTHFAIL, Strophe.Status.ERROR,
    Strophe.Status.DISCONNECTED];

function child(stanza, name, ns = QUEUE) {
    return Array.from(stanza.getElementsByTagNameNS(ns, name))[0] || null;
}

function text(element, name) {
    const found = element && child(element, name);
    return found ? found.textContent : '';
}

function errorText(stanza) {
    const error = stanza && stanza.getElementsByTagName('text')[0];
    return error ? error.textContent : 'The library could not be reached.';
}

/** Events: 'connected', 'offline' (lost), 'queue', 'claimed', 'message', 'typing',
 *  'delivered', 'ended'. */
export class ChatSession extends EventTarget {
    constructor(config, transport) {
        super();
        this.config = config;
        // WebSocket first; BOSH when asked for, or once WebSocket has failed on this page.
        this.transports = transport === 'bosh' ? ['bosh'] : ['websocket', 'bosh'];
        this.chat = null;
        this.pending = new Map(); // receipt id -> body, resent with the same id after a blip
        this.closing = false;
        this.everConnected = false;
        this.backoff = 1000;
    }

    emit(type, detail = {}) {
        this.dispatchEvent(new CustomEvent(type, { detail }));
    }

    /** Resolves once logged in; tries each transport in turn. */
    async connect() {
        for (const transport of [...this.transports]) {
            try {
                await this.login(transport);
                this.transports = [transport, ...this.transports.filter((t) => t !== transport)];
                return transport;
            } catch (error) {
                console.warn('refdesk: %s failed: %s', transport, error.message);
            }
        }
        throw new Error('Cannot reach the chat service.');
    }

    login(transport) {
        const service = this.config[transport];
        const connection = new Strophe.Connection(service, { mechanisms: [Strophe.SASLAnonymous] });
        return new Promise((resolve, reject) => {
            let settled = false;
            const settle = (error) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                if (error) reject(error);
                else resolve();
            };
            // A proxy may accept a WebSocket and close it cleanly, which strophe.js does not
            // report as a failure: without this the patron would wait forever.
            const timer = setTimeout(() => {
                settle(new Error('login timed out'));
                connection.disconnect('login timed out');
            }, LOGIN_TIMEOUT_MS);
            connection.connect(this.config.guest_host, null, (status) => {
                if (status === Strophe.Status.CONNECTED) {
                    settle();
                    this.attach(connection);
                } else if (status === Strophe.Status.DISCONNECTED && settled
                    && this.connection === connection) {
                    this.lost();
                } else if (FAILURES.includes(status)) {
                    settle(new Error(`status ${status}`));
                }
            });
        });
    }

    attach(connection) {
        // A new login is a new anonymous JID: the chat must be told it is still us.
        const resuming = this.everConnected && this.chat && this.token;
        this.connection = connection;
        this.everConnected = true;
        this.backoff = 1000;
        connection.addHandler((stanza) => this.onMessage(stanza) || true, null, 'message');
        connection.send($pres());
        // Lines the queue had not acknowledged before a blip: same ids, so it keeps them once.
        const resend = () => {
            for (const [id, body] of this.pending) this.sendLine(body, id);
        };
        if (resuming) {
            this.resume().then(resend, (error) => this.emit('resume-failed',
                { error: error.message }));
        } else {
            resend();
        }
        this.emit('connected', { transport: connection._proto instanceof Strophe.Bosh
            ? 'bosh' : 'websocket' });
    }

    lost() {
        if (this.closing) return;
        this.emit('offline');
        setTimeout(() => this.reconnect(), this.backoff);
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    }

    async reconnect() {
        try {
            await this.connect();
        } catch {
            this.lost();
        }
    }

    iq(to, type, build) {
        const stanza = $iq({ to, type });
        build(stanza);
        return new Promise((resolve, reject) => {
            this.connection.sendIQ(stanza, resolve,
                (error) => reject(new Error(errorText(error))), IQ_TIMEOUT_MS);
        });
    }

    get queue() {
        return `queue.${this.config.domain}`;
    }

    async online() {
        const result = await this.iq(this.queue, 'get',
            (iq) => iq.c('status', { xmlns: QUEUE, widget: this.config.id }));
        return child(result, 'status')?.getAttribute('online') === 'true';
    }

    async ask(fields) {
        const result = await this.iq(this.queue, 'set', (iq) => {
            iq.c('request', { xmlns: QUEUE, widget: this.config.id });
            addFields(iq, { ...fields, referrer: document.location.href,
                'user-agent': navigator.userAgent });
        });
        const chat = child(result, 'chat');
        this.chat = chat.getAttribute('jid');
        this.token = chat.getAttribute('token'); // resumes the chat from a new connection
        this.lastLine = 0; // transcript seq of the newest librarian line shown
        return this.chat;
    }

    leaveQuestion(fields) {
        return this.iq(this.queue, 'set', (iq) => {
            iq.c('ticket', { xmlns: QUEUE, widget: this.config.id });
            addFields(iq, fields);
        });
    }

    /** Takes the chat over from this connection; the queue sends what was missed. */
    resume() {
        return this.iq(this.chat, 'set', (iq) => iq.c('resume',
            { xmlns: QUEUE, token: this.token, after: String(this.lastLine) }));
    }

    cancel() {
        return this.iq(this.chat, 'set', (iq) => iq.c('cancel', { xmlns: QUEUE }));
    }

    end() {
        return this.iq(this.chat, 'set', (iq) => iq.c('ended', { xmlns: QUEUE }));
    }

    rate(score, comment) {
        return this.iq(this.chat, 'set',
            (iq) => iq.c('rating', { xmlns: QUEUE, score: String(score) }).t(comment));
    }

    /** Sends a line asking for a receipt; returns its id. */
    sendLine(body, id = this.connection.getUniqueId('line')) {
        this.pending.set(id, body);
        this.lastState = 'active';
        if (this.connection.connected) {
            this.connection.send($msg({ to: this.chat, type: 'chat', id })
                .c('body').t(body).up()
                .c('active', { xmlns: CHATSTATES }).up()
                .c('request', { xmlns: RECEIPTS }));
        }
        return id;
    }

    sendState(state) {
        // Once per change, not once per keystroke.
        if (state === this.lastState) return;
        this.lastState = state;
        if (this.chat && this.connection.connected) {
            this.connection.send($msg({ to: this.chat, type: 'chat' })
                .c(state, { xmlns: CHATSTATES }));
        }
    }

    onMessage(stanza) {
        const from = Strophe.getBareJidFromJid(stanza.getAttribute('from') || '');
        if (!this.chat || from !== this.chat) return;
        const received = child(stanza, 'received', RECEIPTS);
        if (received) {
            const id = received.getAttribute('id');
            if (this.pending.delete(id)) this.emit('delivered', { id });
        }
        this.onQueuePayload(stanza);
        const state = ['composing', 'paused', 'active', 'inactive', 'gone']
            .find((name) => child(stanza, name, CHATSTATES));
        if (state) this.emit('typing', { typing: state === 'composing' });
        const body = stanza.getElementsByTagName('body')[0];
        if (body && !child(stanza, 'claimed') && !child(stanza, 'ended')
            && !child(stanza, 'queue-status') && this.isNewLine(stanza)) {
            this.emit('message', { body: body.textContent });
        }
    }

    /** False for a librarian line already shown (a resume sends missed lines again). */
    isNewLine(stanza) {
        const ids = [...stanza.getElementsByTagNameNS(STANZA_IDS, 'stanza-id')];
        const ours = ids.find((element) => element.getAttribute('by') === this.chat);
        if (!ours) return true;
        const seq = Number(ours.getAttribute('id'));
        if (seq <= this.lastLine) return false;
        this.lastLine = seq;
        return true;
    }

    onQueuePayload(stanza) {
        const status = child(stanza, 'queue-status');
        if (status) {
            this.emit('queue', { position: Number(text(status, 'position')),
                seconds: Number(text(status, 'time')) });
        }
        const claimed = child(stanza, 'claimed');
        const claimant = claimed
            && `${claimed.getAttribute('nick')}|${claimed.getAttribute('institution')}`;
        if (claimed && claimant !== this.claimant) { // a resume repeats the claim
            this.claimant = claimant;
            this.emit('claimed', { nick: claimed.getAttribute('nick'),
                institution: claimed.getAttribute('institution') });
        }
        const ended = child(stanza, 'ended');
        if (ended) this.emit('ended', { by: ended.getAttribute('by') });
    }

    close() {
        this.closing = true;
        if (this.connection) this.connection.disconnect('chat closed');
    }
}

function addFields(iq, fields) {
    for (const [name, value] of Object.entries(fields)) {
        if (value) iq.c(name).t(value).up();
    }
}
