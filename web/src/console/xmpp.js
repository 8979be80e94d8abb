// The librarian's XMPP connection: SASL SCRAM over the gateway's WebSocket, BOSH when
// WebSocket fails, and the SCRAM keys (never the password) kept for the tab so that a
// reload logs in again. strophe.js does all the framing.
import { $iq, $pres, Strophe } from 'strophe.js';

const IQ_TIMEOUT_MS = 15000;
const LOGIN_TIMEOUT_MS = 10000;
const MAX_BACKOFF_MS = 15000;
const PING = 'urn:xmpp:ping';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const FEATURES = [DISCO_INFO, PING, 'http://jabber.org/protocol/muc',
    'http://jabber.org/protocol/chatstates', 'urn:xmpp:receipts',
    'http://jabber.org/protocol/commands', 'jabber:x:conference'];
const FAILED = [Strophe.Status.CONNFAIL, Strophe.Status.AUTHFAIL, Strophe.Status.ERROR,
    Strophe.Status.DISCONNECTED];
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** The human text of an error stanza (the queue always gives one), or its condition. */
export function errorText(stanza) {
    if (!stanza) return 'No answer from the server; try again.';
    const error = stanza.getElementsByTagName('error')[0];
    const text = error && Array.from(error.children).find((e) => e.localName === 'text');
    if (text) return text.textContent;
    const condition = error && Array.from(error.children).find(
        (e) => e.namespaceURI === STANZAS);
    return condition ? condition.localName.replace(/-/g, ' ') : 'The request failed.';
}

export class LoginError extends Error {}

/** Events: 'online' (logged in, again after a reconnect), 'offline', 'stanza' is not one:
 *  callers add handlers with on(). */
export class Client extends EventTarget {
    constructor(config) {
        super();
        this.config = config;
        this.handlers = []; // [callback, ns, name, type]: re-added on every new connection
        this.connection = null;
        this.closing = false;
        this.backoff = 1000;
    }

    get jid() {
        return Strophe.getBareJidFromJid(this.connection?.jid || '');
    }

    get fullJid() {
        return this.connection?.jid || '';
    }

    get transport() {
        return this.connection?._proto instanceof Strophe.Bosh ? 'bosh' : 'websocket';
    }

    /** Logs in with a password or with SCRAM keys; resolves with the keys to keep. */
    async login(fullJid, secret) {
        let lastError = null;
        for (const transport of ['websocket', 'bosh']) {
            try {
                const connection = await this.open(transport, fullJid, secret);
                this.adopt(connection);
                return connection.scram_keys;
            } catch (error) {
                lastError = error;
                if (error instanceof LoginError) break; // wrong password: BOSH says the same
            }
        }
        throw lastError;
    }

    open(transport, fullJid, secret) {
        const service = this.config[transport];
        const connection = new Strophe.Connection(service, { mechanisms: [
            Strophe.SASLSHA512, Strophe.SASLSHA384, Strophe.SASLSHA256, Strophe.SASLSHA1] });
        return new Promise((resolve, reject) => {
            let settled = false;
            const settle = (error) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                if (error) {
                    connection.reset();
                    reject(error);
                } else resolve(connection);
            };
            // A proxy may accept a WebSocket and close it cleanly, which strophe.js does not
            // report as a failure.
            const timer = setTimeout(() => settle(new Error('login timed out')),
                LOGIN_TIMEOUT_MS);
            connection.connect(fullJid, secret, (status, condition) => {
                if (status === Strophe.Status.CONNECTED) settle();
                else if (status === Strophe.Status.AUTHFAIL) {
                    settle(new LoginError('Wrong address or password.'));
                } else if (status === Strophe.Status.DISCONNECTED && settled
                    && this.connection === connection) {
                    this.lost();
                } else if (FAILED.includes(status)) {
                    settle(new Error(condition || `status ${status}`));
                }
            });
        });
    }

    adopt(connection) {
        this.connection = connection;
        this.backoff = 1000;
        connection.addHandler((iq) => this.pong(iq), PING, 'iq', 'get');
        connection.addHandler((iq) => this.discoInfo(iq), DISCO_INFO, 'iq', 'get');
        for (const [callback, ns, name, type] of this.handlers) {
            connection.addHandler((stanza) => {
                try {
                    callback(stanza);
                } catch (error) {
                    console.error('refdesk console: a handler failed', error);
                }
                return true;
            }, ns, name, type);
        }
        this.dispatchEvent(new Event('online'));
    }

    /** Calls back for every matching stanza, on this connection and every later one. */
    on(callback, ns = null, name = null, type = null) {
        this.handlers.push([callback, ns, name, type]);
    }

    lost() {
        if (this.closing) return;
        this.dispatchEvent(new Event('offline'));
        setTimeout(() => this.dispatchEvent(new Event('reconnect')), this.backoff);
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    }

    pong(iq) {
        this.send($iq({ type: 'result', to: iq.getAttribute('from'),
            id: iq.getAttribute('id') }));
        return true;
    }

    discoInfo(iq) {
        const reply = $iq({ type: 'result', to: iq.getAttribute('from'),
            id: iq.getAttribute('id') }).c('query', { xmlns: DISCO_INFO })
            .c('identity', { category: 'client', type: 'web', name: 'refdesk console' }).up();
        for (const feature of FEATURES) reply.c('feature', { var: feature }).up();
        this.send(reply);
        return true;
    }

    send(stanza) {
        if (this.connection?.connected) this.connection.send(stanza);
    }

    /** An iq; resolves with the result, rejects with the error's human text. Strophe pairs
     *  an answer with its request by id alone: an answer counts only from the address asked,
     *  so that no one else's stanza is taken for a component's. */
    iq(to, type, build) {
        const stanza = $iq({ to, type });
        build(stanza);
        const fromAsked = (answer) => !to || !answer // a time-out has no answer at all
            || (answer.getAttribute('from') || '').toLowerCase() === to.toLowerCase();
        return new Promise((resolve, reject) => {
            if (!this.connection?.connected) {
                reject(new Error('Not connected.'));
                return;
            }
            this.connection.sendIQ(stanza,
                (answer) => (fromAsked(answer) ? resolve(answer)
                    : reject(new Error(`No answer from ${to}.`))),
                (error) => reject(new Error(fromAsked(error) ? errorText(error)
                    : `No answer from ${to}.`)), IQ_TIMEOUT_MS);
        });
    }

    presence(attrs, build = () => {}) {
        const stanza = $pres(attrs);
        build(stanza);
        this.send(stanza);
    }

    logout() {
        this.closing = true;
        if (this.connection) {
            this.connection.disconnect('logged out');
            this.connection.flush();
        }
    }
}
