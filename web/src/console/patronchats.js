// The Patron Chats list and the conversations the librarian has open.
//
// The list is the queues' feed (urn:refdesk:console:0 subscribe) of every chat the librarian
// may see, at their own library and at every member library of their co-ops; offers the queue
// makes them (in a room they monitor, or directly) add a chat the feed has not described yet
// and ring the chime. Chat actions are the commands any client has at the chat's JID.
import { $msg, $pres, Strophe } from 'strophe.js';
import {
    CHATSTATES, child, COMMANDS, commandNotes, CONSOLE, DATA, DELAY, QUEUE, RECEIPTS, SID,
    readChats, readLines, readOfferBody, readTargets,
} from './protocol.js';
import { FAQ } from './scripts.js';

const GONE = ['ended', 'withdrawn'];
const MAX_LINES = 1000;
// The queue's own words to a claimant are plain bodies; a patron's relayed line carries the
// chat state the widget sends with every line.
const PATRON_LEFT = /^The patron left the chat/;

export class PatronChats {
    constructor(client, changed, announce) {
        this.client = client;
        this.changed = changed;
        this.announce = announce; // (chat) => chime and notification, for a new offer
        this.list = new Map(); // chat JID -> what the feed or an offer says of it
        this.talks = new Map(); // chat JID -> {lines, typing, patron, claimed, ended, ...}
        this.offered = new Set();
        this.domain = '';
        this.nick = '';
    }

    // --- the list -------------------------------------------------------------------------

    /** Follow a queue's Patron Chats. Directed presence tells it (through the librarian's
     *  server) when this console goes away, so that the feed ends with it. */
    async subscribe(queue, accept) {
        const result = await this.client.iq(queue, 'set',
            (iq) => iq.c('subscribe', { xmlns: CONSOLE }));
        this.client.send($pres({ to: queue }));
        this.onFeed(child(result, 'chats'), accept);
    }

    /** A queue's list or change; `accept(jid)` says which chats that queue speaks for. */
    onFeed(chats, accept) {
        if (!chats) return;
        for (const chat of readChats(chats).filter((c) => accept(c.jid))) {
            if (GONE.includes(chat.state)) {
                this.keep(chat.jid);
                this.list.delete(chat.jid);
                this.talk(chat.jid, false)?.ended || this.markEnded(chat.jid, chat.state);
            } else {
                this.list.set(chat.jid, { ...this.list.get(chat.jid), ...chat });
                if (chat.mine && chat.state === 'active') this.ownClaim(chat.jid);
            }
        }
        this.changed();
    }

    /** An offer, in a room (`monitored` says whether the librarian monitors it) or direct. */
    onOffer(message, offer, monitored) {
        if (child(message, 'delay', DELAY)) return; // a room's history: long gone by now
        const jid = offer.getAttribute('chat');
        const library = offer.getAttribute('library') || '';
        const known = this.list.get(jid);
        const body = message.getElementsByTagName('body')[0]?.textContent || '';
        const chat = known || { jid, state: 'waiting', library, widget: offer.getAttribute('widget'),
            since: new Date().toISOString(), ...readOfferBody(body) };
        chat.home = offer.getAttribute('home') === 'true' || library === this.domain;
        if (chat.state !== 'active') chat.state = 'waiting';
        this.list.set(jid, chat);
        if (monitored && !this.offered.has(jid)) {
            this.offered.add(jid);
            this.announce(chat);
        }
        this.changed({ offered: jid });
    }

    onTaken(taken) {
        const chat = this.list.get(taken.getAttribute('chat'));
        if (!chat) return;
        Object.assign(chat, { state: 'active', 'taken-nick': taken.getAttribute('nick'),
            'taken-institution': taken.getAttribute('institution') });
        this.changed();
    }

    onWithdrawn(withdrawn) {
        this.keep(withdrawn.getAttribute('chat'));
        this.list.delete(withdrawn.getAttribute('chat'));
        this.changed();
    }

    /** What the list said of a chat open here, kept when it leaves the list: an ended chat's
     *  pane still shows who the patron was and their details. */
    keep(jid) {
        const talk = this.talks.get(jid);
        if (talk && this.list.has(jid)) talk.about = this.list.get(jid);
    }

    /** What is known of a chat: the list's entry, else what its pane kept. */
    about(jid) {
        return this.list.get(jid) || this.talks.get(jid)?.about || { jid };
    }

    /** The chats in the order a librarian works them: waiting first, longest wait first. */
    ordered() {
        const rank = (chat) => (chat.state === 'waiting' ? 0 : 1);
        return [...this.list.values()].sort((a, b) => rank(a) - rank(b)
            || new Date(a.since) - new Date(b.since));
    }

    // --- conversations --------------------------------------------------------------------

    talk(jid, create = true) {
        if (!this.talks.has(jid) && create) {
            this.talks.set(jid, { jid, lines: [], typing: false, patron: 'here', claimed: false,
                ended: false, supervising: false });
        }
        return this.talks.get(jid);
    }

    open() {
        return [...this.talks.values()];
    }

    /** Chats claimed by this librarian and not ended: what capacity counts. */
    activeCount() {
        return this.open().filter((talk) => talk.claimed && !talk.ended).length;
    }

    line(jid, line) {
        const talk = this.talk(jid);
        talk.lines.push({ at: new Date(), ...line });
        if (talk.lines.length > MAX_LINES) talk.lines.shift();
        this.changed({ chat: jid, line: line.sender !== 'me', sender: line.sender });
    }

    ownClaim(jid) {
        const talk = this.talk(jid);
        if (talk.claimed) return;
        talk.claimed = true;
        // Tells the queue this connection is the librarian's now (after a reload it may be a
        // new one), so that it keeps the chat rather than sending it back to the queue.
        this.sendState(jid, 'active');
        this.fillHistory(jid);
    }

    markEnded(jid, why) {
        const talk = this.talk(jid, false);
        if (!talk || talk.ended) return;
        talk.ended = true;
        talk.typing = false;
        this.line(jid, { sender: 'system', body: why === 'withdrawn'
            ? 'The patron left the queue.' : 'The chat has ended.' });
    }

    /** A message from a chat's JID: a patron's line or state, a receipt, a notice. */
    onChatMessage(message) {
        const jid = Strophe.getBareJidFromJid(message.getAttribute('from'));
        if (!this.talks.has(jid) || message.getAttribute('type') === 'error') return;
        const talk = this.talk(jid);
        const received = child(message, 'received', RECEIPTS);
        if (received) this.delivered(talk, received.getAttribute('id'));
        const line = child(message, 'line', CONSOLE);
        if (line) {
            for (const copy of readLines(message)) this.copied(jid, copy);
            return;
        }
        this.patronState(talk, message);
        const body = message.getElementsByTagName('body')[0]?.textContent;
        if (child(message, 'ended', QUEUE)) this.markEnded(jid, 'ended');
        else if (body) this.bodyFrom(talk, message, body);
        this.changed();
    }

    /** The queue stamps each of the patron's lines with its transcript seq (XEP-0359
     *  stanza-id by the chat's JID); its own notices carry none. */
    bodyFrom(talk, message, body) {
        const sid = child(message, 'stanza-id', SID);
        const seq = sid?.getAttribute('by') === talk.jid ? Number(sid.getAttribute('id')) : null;
        if (PATRON_LEFT.test(body)) talk.patron = 'left';
        if (seq === null) {
            this.line(talk.jid, { sender: 'system', body });
        } else if (!talk.lines.some((l) => l.seq === seq)) { // not already from the history
            this.line(talk.jid, { sender: 'patron', body, seq });
        }
    }

    patronState(talk, message) {
        const state = Array.from(message.children).find((e) => e.namespaceURI === CHATSTATES);
        if (!state) return;
        talk.typing = state.localName === 'composing';
        if (talk.patron === 'left') talk.patron = 'reconnected';
    }

    delivered(talk, id) {
        const line = talk.lines.find((l) => l.id === id);
        if (line) line.delivered = true;
    }

    copied(jid, copy) {
        const talk = this.talk(jid);
        if (talk.lines.some((l) => l.seq === copy.seq)) return;
        this.line(jid, { sender: copy.sender, nick: copy.nick, body: copy.body, seq: copy.seq,
            at: new Date(copy.at) });
    }

    /** The lines so far (after a claim or a transfer), where the queue offers a history. */
    async fillHistory(jid) {
        try {
            const result = await this.client.iq(jid, 'get',
                (iq) => iq.c('history', { xmlns: CONSOLE }));
            const history = child(result, 'history');
            for (const line of readLines(history)) this.copied(jid, line);
        } catch (error) {
            console.info('refdesk console: no history for %s: %s', jid, error.message);
        }
    }

    /** A line to the patron; with `script`, the library's scripted message of that name
     *  (faq.xsd's <send-script/>: the queue sends its own text, `body` only shows it). */
    send(jid, body, script = null) {
        const id = this.client.connection.getUniqueId('line');
        const message = $msg({ to: jid, type: 'chat', id }).c('body').t(body).up();
        if (script) message.c('send-script', { xmlns: FAQ, name: script }).up();
        this.client.send(message.c('active', { xmlns: CHATSTATES }).up()
            .c('request', { xmlns: RECEIPTS }));
        const talk = this.talk(jid);
        talk.sentState = 'active';
        this.line(jid, { sender: 'me', nick: this.nick, body, id, delivered: false, script });
    }

    sendState(jid, state) {
        const talk = this.talk(jid);
        if (talk.sentState === state || talk.ended) return;
        talk.sentState = state;
        this.client.send($msg({ to: jid, type: 'chat' }).c(state, { xmlns: CHATSTATES }));
    }

    // --- actions --------------------------------------------------------------------------

    async command(jid, node, fields = null) {
        const first = await this.client.iq(jid, 'set', (iq) => iq.c('command',
            { xmlns: COMMANDS, node, action: 'execute' }));
        const command = child(first, 'command', COMMANDS);
        if (!fields || command.getAttribute('status') === 'completed') return commandNotes(first);
        const done = await this.client.iq(jid, 'set', (iq) => {
            iq.c('command', { xmlns: COMMANDS, node, sessionid: command.getAttribute('sessionid'),
                action: 'complete' }).c('x', { xmlns: DATA, type: 'submit' });
            for (const [name, value] of Object.entries(fields)) {
                iq.c('field', { var: name }).c('value').t(value).up().up();
            }
        });
        return commandNotes(done);
    }

    async claim(jid) {
        const notes = await this.command(jid, 'claim');
        const chat = this.list.get(jid);
        if (chat) Object.assign(chat, { state: 'active', mine: true, 'taken-nick': this.nick });
        this.talk(jid);
        this.line(jid, { sender: 'system', body: notes });
        this.ownClaim(jid);
        return notes;
    }

    async end(jid) {
        const notes = await this.command(jid, 'end');
        this.markEnded(jid, 'ended');
        return notes;
    }

    async followUp(jid, note) {
        const notes = await this.command(jid, 'followup', { note });
        this.line(jid, { sender: 'system', body: notes });
        return notes;
    }

    async targets(jid) {
        const result = await this.client.iq(jid, 'get',
            (iq) => iq.c('transfer-targets', { xmlns: CONSOLE }));
        return readTargets(child(result, 'transfer-targets'));
    }

    async transfer(jid, to, note) {
        await this.client.iq(jid, 'set', (iq) => {
            iq.c('transfer', { xmlns: CONSOLE, to });
            if (note) iq.c('note').t(note);
        });
        this.talk(jid).claimed = false;
        this.markEnded(jid, 'ended');
        this.line(jid, { sender: 'system', body: 'You handed the chat on.' });
    }

    async block(jid, minutes, reason) {
        await this.client.iq(jid, 'set', (iq) => iq.c('block',
            { xmlns: CONSOLE, minutes: String(minutes) }).c('reason').t(reason));
        this.markEnded(jid, 'ended');
    }

    /** Directed presence to the chat: when this console goes, the librarian's server tells
     *  the queue, which stops sending it copies. */
    async supervise(jid) {
        await this.client.iq(jid, 'set', (iq) => iq.c('supervise', { xmlns: CONSOLE }));
        this.client.send($pres({ to: jid }));
        this.talk(jid).supervising = true;
        await this.fillHistory(jid);
    }

    async unsupervise(jid) {
        await this.client.iq(jid, 'set', (iq) => iq.c('unsupervise', { xmlns: CONSOLE }));
        this.client.send($pres({ to: jid, type: 'unavailable' }));
        this.talk(jid).supervising = false;
        this.changed();
    }

    /** An internal note: kept with the chat, copied to staff, never shown to the patron. */
    note(jid, body) {
        this.client.send($msg({ to: jid, type: 'chat' }).c('body').t(body).up()
            .c('note', { xmlns: CONSOLE }));
    }

    close(jid) {
        this.talks.delete(jid);
        this.changed();
    }
}
