// The console's model: one librarian logged in, their desk (library, rooms, co-ops), the
// Patron Chats list, the rooms and one-to-one chats with colleagues. Views read it and call
// its methods; every change calls `changed` once, and the app draws again.
import { $msg, Strophe } from 'strophe.js';
import { chime, notify } from './alerts.js';
import * as credentials from './credentials.js';
import { Prefs } from './prefs.js';
import { CHATSTATES, child, CONSOLE, QUEUE, readDesk } from './protocol.js';
import { PatronChats } from './patronchats.js';
import { Rooms } from './rooms.js';
import { Trust } from './trust.js';
import { Client } from './xmpp.js';

const MAX_CONVERSATIONS = 200; // one-to-one chats kept: a flood of strangers cannot grow it

export class Desk {
    constructor(config, changed) {
        this.config = config;
        this.onChange = changed;
        this.client = new Client(config);
        this.status = 'out'; // out, connecting, online, offline
        this.info = null; // what the queue's desk says
        this.prefs = null;
        this.rooms = new Rooms(this.client, (what) => this.changed(what));
        this.chats = new PatronChats(this.client, (what) => this.changed(what),
            (chat) => this.announceChat(chat));
        this.trust = new Trust();
        this.direct = new Map(); // colleague's bare JID -> {jid, name, lines}
        this.notices = []; // {id, text}: short texts read out by the live region
        this.noticeIds = 0;
        this.wantFocus = null; // a selector to move the keyboard focus to after the next draw
        this.selected = null; // the chat previewed
        this.focus = null; // chat JID or room JID or colleague JID shown in a pane
        this.route();
        this.client.addEventListener('offline', () => this.setStatus('offline'));
        this.client.addEventListener('reconnect', () => this.resume());
    }

    changed(what = {}) {
        this.checkCapacity(); // a claim, an end, a transfer: any change may cross the limit
        if (what.sender === 'patron') this.countUnread(what.chat);
        this.onChange(what);
    }

    setStatus(status) {
        this.status = status;
        this.changed();
    }

    /** Reads `text` out once: each notice keeps its id, so that older ones are not read
     *  again when a new one comes. */
    say(text) {
        this.noticeIds += 1;
        this.notices = [...this.notices.slice(-4), { id: this.noticeIds, text }];
        this.changed();
    }

    /** Moves the keyboard focus to `selector` once the next draw has put it on the page: a
     *  pane that opens takes it, a control that goes away hands it on. */
    focusOn(selector) {
        this.wantFocus = selector;
        this.changed();
    }

    // --- logging in and out ---------------------------------------------------------------

    /** Checks that the account is of this library: a librarian logs in at their own. */
    checkJid(jid) {
        const bare = jid.trim().toLowerCase();
        if (!/^[^@/\s]+@[^@/\s]+$/.test(bare)) {
            throw new Error(`Type your address as name@${this.config.domain}.`);
        }
        if (Strophe.getDomainFromJid(bare) !== this.config.domain) {
            throw new Error(`This is the console of ${this.config.libraryName}: log in with an `
                + `address at ${this.config.domain}, or use your own library's console.`);
        }
        return bare;
    }

    async login(jid, secret) {
        const bare = this.checkJid(jid);
        this.setStatus('connecting');
        try {
            const keys = await this.client.login(`${bare}/${credentials.resource()}`, secret);
            credentials.keep(bare, keys);
        } catch (error) {
            this.setStatus('out');
            throw error;
        }
        await this.start(bare);
    }

    /** After a reload: the keys of the last login, if this tab has them. */
    async restore() {
        const saved = credentials.saved();
        if (!saved) return false;
        try {
            await this.login(saved.jid, saved.keys);
            return true;
        } catch {
            credentials.forget();
            return false;
        }
    }

    async resume() {
        const saved = credentials.saved();
        if (!saved || this.status === 'out') return;
        try {
            await this.client.login(`${saved.jid}/${credentials.resource()}`, saved.keys);
            await this.boot();
        } catch {
            this.client.lost();
        }
    }

    logout() {
        credentials.forget();
        this.client.logout();
        window.location.reload();
    }

    async start(jid) {
        this.prefs = new Prefs(jid);
        this.rooms.prefs = this.prefs;
        this.chats.domain = this.config.domain;
        await this.boot();
    }

    // --- the desk -------------------------------------------------------------------------

    async boot() {
        this.client.presence({});
        this.info = await this.loadDesk();
        this.trust.learn(this.config.domain, this.info.coops);
        const nick = this.info.me?.nick || this.client.jid.split('@')[0];
        this.rooms.nick = this.chats.nick = nick;
        this.rooms.set(this.roomsOfDesk());
        this.rooms.joinAll();
        this.setStatus('online');
        await Promise.all(this.queues().map((queue) => this.chats.subscribe(queue,
            (jid) => this.trust.isChat(jid, queue)).catch(
            (error) => console.info('refdesk console: no feed from %s: %s', queue,
                error.message))));
    }

    /** The librarian's desk, from their library's queue. */
    async loadDesk() {
        const queue = `queue.${this.config.domain}`;
        return readDesk(child(await this.client.iq(queue, 'get',
            (iq) => iq.c('desk', { xmlns: CONSOLE })), 'desk'));
    }

    roomsOfDesk() {
        const { departments, coops, staffRoom } = this.info;
        return [
            ...departments.map((d) => ({ ...d, kind: 'department' })),
            ...coops.map((c) => ({ jid: c.room, name: c.name, kind: 'coop', coop: c })),
            ...(staffRoom ? [{ ...staffRoom, kind: 'staff' }] : []),
        ];
    }

    /** The own queue and the queue of every member library of the librarian's co-ops. */
    queues() {
        return this.trust.queues();
    }

    institutionOf(domain, room) {
        for (const coop of this.info?.coops || []) {
            const member = coop.members.find((m) => m.domain === domain);
            if (member) return member.name;
            if (coop.host === domain && coop['host-name']) return coop['host-name'];
        }
        return room?.coop?.host === domain ? room.coop['host-name'] || domain : domain;
    }

    // --- incoming -------------------------------------------------------------------------

    route() {
        this.client.on((stanza) => this.rooms.onPresence(stanza), null, 'presence');
        this.client.on((stanza) => this.onMessage(stanza), null, 'message');
    }

    onMessage(message) {
        const type = message.getAttribute('type');
        const sender = message.getAttribute('from') || '';
        const from = Strophe.getBareJidFromJid(sender);
        const feed = child(message, 'chats', CONSOLE);
        if (feed) {
            // Only a queue followed here speaks for its own chats.
            if (this.trust.isQueue(sender)) {
                this.chats.onFeed(feed, (jid) => this.trust.isChat(jid, sender));
            }
            return undefined;
        }
        if (this.onQueuePayload(message, type, from)) return undefined;
        if (type === 'groupchat') return this.rooms.onGroupchat(message);
        if (this.trust.isChat(from)) return this.chats.onChatMessage(message);
        if (type === 'chat' && this.trust.isColleague(from)) this.onDirect(from, message);
        return undefined;
    }

    onQueuePayload(message, type, from) {
        const offer = child(message, 'offer', QUEUE);
        const taken = child(message, 'taken', QUEUE);
        const withdrawn = child(message, 'withdrawn', QUEUE);
        if (!offer && !taken && !withdrawn) return false;
        const about = (offer || taken || withdrawn).getAttribute('chat');
        const official = type === 'groupchat' ? this.rooms.list.has(from)
            : this.trust.isQueue(from) || this.trust.isChat(from);
        if (!official || !this.trust.isChat(about)) return true; // not from a queue: ignored
        if (offer) {
            const monitored = type === 'groupchat' ? this.rooms.monitoring(from)
                : !this.rooms.busy;
            this.chats.onOffer(message, offer, monitored);
        }
        if (taken) this.chats.onTaken(taken);
        if (withdrawn) this.chats.onWithdrawn(withdrawn);
        // A direct offer or notice about a chat open here also belongs in its pane.
        if (type !== 'groupchat' && this.chats.talks.has(from)) this.chats.onChatMessage(message);
        return true;
    }

    announceChat(chat) {
        const who = chat.name || 'A patron';
        const text = `${who} of ${chat['library-name'] || chat.library} is waiting`
            + (chat.question ? `: “${chat.question}”` : '.');
        this.say(`New chat: ${text}`);
        if (this.prefs.chime) chime();
        if (this.prefs.notify) notify('New chat', text, () => this.select(chat.jid));
    }

    // --- capacity and monitoring ----------------------------------------------------------

    checkCapacity() {
        if (!this.prefs) return;
        this.rooms.setBusy(this.chats.activeCount() >= this.prefs.capacity);
    }

    setCapacity(value) {
        this.prefs.setCapacity(value);
        this.checkCapacity();
        this.changed();
    }

    setMonitoring(roomJid, on) {
        this.prefs.setMonitoring(roomJid, on);
        this.rooms.announce();
    }

    setAlert(name, on) {
        this.prefs[name] = on;
        this.prefs.save();
        this.changed();
    }

    // --- one-to-one with colleagues -------------------------------------------------------

    conversation(jid, name = jid) {
        if (!this.direct.has(jid)) this.direct.set(jid, { jid, name, lines: [] });
        return this.direct.get(jid);
    }

    onDirect(from, message) {
        if (!this.direct.has(from) && this.direct.size >= MAX_CONVERSATIONS) return;
        const body = message.getElementsByTagName('body')[0];
        const typing = child(message, 'composing', CHATSTATES);
        const talk = this.conversation(from);
        talk.typing = Boolean(typing);
        if (body) talk.lines.push({ mine: false, body: body.textContent, at: new Date() });
        this.changed({ direct: from, line: Boolean(body) });
    }

    sayTo(jid, text) {
        this.client.send($msg({ to: jid, type: 'chat' }).c('body').t(text).up()
            .c('active', { xmlns: CHATSTATES }));
        this.conversation(jid).lines.push({ mine: true, body: text, at: new Date() });
        this.changed();
    }

    // --- what is shown --------------------------------------------------------------------

    select(jid) {
        this.selected = jid;
        this.changed();
    }

    show(key) {
        this.focus = key;
        const talk = this.chats.talks.get(key);
        if (talk) talk.unread = 0;
        this.changed();
    }

    /** The patron chat whose pane is shown: the one picked, else the newest. */
    shownChat() {
        const open = this.chats.open();
        return open.find((talk) => talk.jid === this.focus) || open[open.length - 1];
    }

    /** A patron's line in a chat not in view is counted on its tab and read out, once. */
    countUnread(jid) {
        const talk = this.chats.talks.get(jid);
        if (!talk) return;
        const inView = (this.section ?? 'patron-chats') === 'patron-chats'
            && this.shownChat() === talk;
        if (!inView) {
            talk.unread = (talk.unread || 0) + 1;
            this.say(`New message from ${this.chats.about(jid).name || 'a patron'}.`);
        }
    }
}
