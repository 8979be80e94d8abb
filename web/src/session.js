// The patron's XMPP side of a chat: one anonymous login on guest.<library>, the
// urn:refdesk:queue:0 protocol with the library's queue, and reconnection.
import { $iq, $msg, $pres, Strophe } from 'strophe.js';

const QUEUE = 'urn:refdesk:queue:0';
const FAQ = 'urn:refdesk:faq:0';
const RECEIPTS = 'urn:xmpp:receipts';
const STANZA_IDS = 'urn:xmpp:sid:0';
const CHATSTATES = 'http://jabber.org/protocol/chatstates';
const IQ_TIMEOUT_MS = 15000;
// A suggestion that comes later than this is no help to someone typing.
const SEARCH_TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 15000;
const LOGIN_TIMEOUT_MS = 8000;
// A line is the patron's until the queue's receipt says it is in the transcript: without one
// it goes again (same id, so the queue keeps it once), and after a while the patron is told.
const RECEIPT_TIMEOUT_MS = 4000;
const RESEND_AFTER_BOUNCE_MS = [500, 1000, 2000, 4000];
const GIVE_UP_MS = 15000;
// Bounces that say the queue is away for now (restarting), not that it refused the line.
const PASSING_ERRORS = ['service-unavailable', 'remote-server-not-found',
    'remote-server-timeout', 'recipient-unavailable', 'internal-server-error',
    'resource-constraint'];
const FAILURES = [Strophe.Status.CONNFAIL, Strophe.Status.AUTHFAIL, Strophe.Status.ERROR,
    Strophe.Status.DISCONNECTED];

function child(stanza, name, ns = QUEUE) {
    return Array.from(stanza.getElementsByTagNameNS(ns, name))[0] || null;
}

function text(element, name, ns = QUEUE) {
    const found = element && child(element, name, ns);
    return found ? found.textContent : '';
}

function errorText(stanza) {
    const error = stanza && stanza.getElementsByTagName('text')[0];
    return error ? error.textContent : 'The library could not be reached.';
}

/** Whether an error says "not now" (the queue restarting) rather than "not this line". */
function passing(stanza) {
    const error = stanza.getElementsByTagName('error')[0];
    if (!error) return true;
    const condition = Array.from(error.children).find(
        (element) => element.namespaceURI === 'urn:ietf:params:xml:ns:xmpp-stanzas'
            && element.localName !== 'text');
    return error.getAttribute('type') === 'wait'
        || PASSING_ERRORS.includes(condition?.localName);
}

/** Events: 'connected', 'offline' (lost), 'resume-failed', 'queue', 'claimed', 'transferred',
 *  'requeued', 'ended', 'message' (a librarian's line), 'notice' (the queue's own words),
 *  'typing', and 'line' ({id, state}: a patron's line is 'sending', 'retrying', 'failed'
 *  with the reason, or 'delivered'). */
export class ChatSession extends EventTarget {
    constructor(config, transport) {
        super();
        this.config = config;
        // WebSocket first; BOSH when asked for, or once WebSocket has failed on this page.
        this.transports = transport === 'bosh' ? ['bosh'] : ['websocket', 'bosh'];
        this.chat = null;
        // receipt id -> {body, since, tries, timer}: every line the queue has not acknowledged
        this.pending = new Map();
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
        if (resuming) {
            this.resume().then(() => {
                this.present();
                this.resendAll();
            }, (error) => this.emit('resume-failed', { error: error.message }));
        } else if (this.chat) {
            this.resendAll();
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

    iq(to, type, build, timeout = IQ_TIMEOUT_MS) {
        const stanza = $iq({ to, type });
        build(stanza);
        return new Promise((resolve, reject) => {
            this.connection.sendIQ(stanza, resolve,
                (error) => reject(new Error(errorText(error))), timeout);
        });
    }

    /** The library's public FAQs matching `words` (faq.xsd's search), best first:
     *  [{question, answer}]. Asked as the patron's guest JID, so only Public FAQs come. */
    async searchFaqs(words, max) {
        if (!this.connection?.connected) return []; // reconnecting: no suggestions for now
        const result = await this.iq(this.config.faq, 'get', (iq) => iq
            .c('search', { xmlns: FAQ, max: String(max) }).c('text').t(words),
        SEARCH_TIMEOUT_MS);
        const results = child(result, 'results', FAQ);
        return results ? [...results.getElementsByTagNameNS(FAQ, 'faq')].map((faq) => ({
            question: text(faq, 'question', FAQ), answer: text(faq, 'answer', FAQ) })) : [];
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
        this.present();
        return this.chat;
    }

    /** Directed presence to the chat: when this connection ends for good (the page closed,
     *  the network gone), the patron's server tells the chat with unavailable presence. */
    present(type) {
        if (this.chat && this.connection?.connected) {
            this.connection.send($pres(type ? { to: this.chat, type } : { to: this.chat }));
        }
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

    async cancel() {
        await this.iq(this.chat, 'set', (iq) => iq.c('cancel', { xmlns: QUEUE }));
        this.present('unavailable');
    }

    end() {
        return this.iq(this.chat, 'set', (iq) => iq.c('ended', { xmlns: QUEUE }));
    }

    /** Asks the queue to email this chat's transcript to `to` (once the chat has ended). */
    emailTranscript(to) {
        return this.iq(this.chat, 'set',
            (iq) => iq.c('email-transcript', { xmlns: QUEUE, to }));
    }

    rate(score, comment) {
        return this.iq(this.chat, 'set',
            (iq) => iq.c('rating', { xmlns: QUEUE, score: String(score) }).t(comment));
    }

    /** Sends a line asking for a receipt and keeps it until the receipt; returns its id. */
    sendLine(body) {
        const id = this.connection.getUniqueId('line');
        this.pending.set(id, { body, since: Date.now(), tries: 0, timer: null });
        this.lastState = 'active';
        this.transmit(id);
        return id;
    }

    /** The patron asks to send a line again that was not delivered. */
    retryLine(id) {
        const line = this.pending.get(id);
        if (!line) return;
        Object.assign(line, { since: Date.now(), tries: 0 });
        this.emit('line', { id, state: 'sending' });
        this.transmit(id);
    }

    /** After a reconnect or a resume: every unacknowledged line again, failed ones too. */
    resendAll() {
        for (const id of this.pending.keys()) this.retryLine(id);
    }

    transmit(id) {
        const line = this.pending.get(id);
        clearTimeout(line.timer);
        if (Date.now() - line.since >= GIVE_UP_MS) {
            this.emit('line', { id, state: 'failed' });
            return;
        }
        if (this.connection.connected) {
            this.connection.send($msg({ to: this.chat, type: 'chat', id })
                .c('body').t(line.body).up()
                .c('active', { xmlns: CHATSTATES }).up()
                .c('request', { xmlns: RECEIPTS }));
        }
        line.timer = setTimeout(() => this.unconfirmed(id), RECEIPT_TIMEOUT_MS);
    }

    unconfirmed(id) {
        if (!this.pending.has(id)) return;
        this.emit('line', { id, state: 'retrying' });
        this.transmit(id);
    }

    /** A line came back with an error: the queue is away (try again shortly) or refused it. */
    bounced(id, stanza) {
        const line = this.pending.get(id);
        if (!line) return;
        clearTimeout(line.timer);
        if (!passing(stanza)) {
            this.emit('line', { id, state: 'failed', reason: errorText(stanza) });
            return;
        }
        this.emit('line', { id, state: 'retrying' });
        const delay = RESEND_AFTER_BOUNCE_MS[Math.min(line.tries,
            RESEND_AFTER_BOUNCE_MS.length - 1)];
        line.tries += 1;
        line.timer = setTimeout(() => this.transmit(id), delay);
    }

    acknowledged(id) {
        const line = this.pending.get(id);
        if (!line) return; // not ours, or acknowledged already
        clearTimeout(line.timer);
        this.pending.delete(id);
        this.emit('line', { id, state: 'delivered' });
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
        if (stanza.getAttribute('type') === 'error') {
            this.bounced(stanza.getAttribute('id'), stanza);
            return;
        }
        const received = child(stanza, 'received', RECEIPTS);
        if (received) this.acknowledged(received.getAttribute('id'));
        const state = ['composing', 'paused', 'active', 'inactive', 'gone']
            .find((name) => child(stanza, name, CHATSTATES));
        if (state) this.emit('typing', { typing: state === 'composing' });
        if (this.onQueuePayload(stanza)) return;
        const body = stanza.getElementsByTagName('body')[0];
        if (!body) return;
        // The transcript stamps every librarian line; a body without a stamp is the queue's.
        const line = this.transcriptLine(stanza);
        if (line === null) this.emit('notice', { body: body.textContent });
        else if (this.isNewLine(line)) this.emit('message', { body: body.textContent });
    }

    /** The transcript seq the chat stamped on a line (XEP-0359), or null. */
    transcriptLine(stanza) {
        const ids = [...stanza.getElementsByTagNameNS(STANZA_IDS, 'stanza-id')];
        const ours = ids.find((element) => element.getAttribute('by') === this.chat);
        return ours ? Number(ours.getAttribute('id')) : null;
    }

    /** False for a librarian line already shown (a resume sends missed lines again). */
    isNewLine(seq) {
        if (seq <= this.lastLine) return false;
        this.lastLine = seq;
        return true;
    }

    /** True when the stanza carried one of the queue's payloads (its body says the same). */
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
        const transferred = child(stanza, 'transferred');
        if (transferred) {
            this.claimant = null; // whoever claims next is news, even the same librarian
            this.emit('transferred', { to: transferred.getAttribute('to'),
                note: transferred.textContent.trim() });
        }
        const requeued = child(stanza, 'requeued');
        if (requeued) {
            this.claimant = null;
            this.emit('requeued', { reason: requeued.getAttribute('reason') });
        }
        const ended = child(stanza, 'ended');
        if (ended) this.emit('ended', { by: ended.getAttribute('by') });
        return Boolean(status || claimed || transferred || requeued || ended);
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
