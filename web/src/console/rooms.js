// The librarian's rooms (departments, co-ops, the all-staff room): entering them, who is
// there, their group chat, and the presence that says whether the librarian monitors each.
// Monitoring is presence with availability available/chat (DESIGN.md): off keeps the
// librarian in the room (its chat goes on) as away; at capacity they are busy (dnd) in every
// room and in their own presence, so the queue offers them nothing new.
import { $msg, Strophe } from 'strophe.js';
import { child, DELAY, MUC, MUC_USER, QUEUE } from './protocol.js';

const NICK_TAKEN = 'conflict';
const HISTORY_STANZAS = '20';
const MAX_LINES = 500;

export class Rooms {
    constructor(client, changed) {
        this.client = client;
        this.changed = changed;
        this.list = new Map(); // room JID -> {jid, name, kind, coop, nick, joined, occupants, lines}
        this.busy = false;
        this.prefs = null;
        this.nick = '';
    }

    /** The rooms of the desk, kind 'department', 'coop' or 'staff'. */
    set(rooms) {
        for (const room of rooms) {
            if (!this.list.has(room.jid)) {
                this.list.set(room.jid, { ...room, nick: this.nick, joined: false,
                    occupants: new Map(), lines: [], error: '' });
            }
        }
    }

    joinAll() {
        for (const room of this.list.values()) this.join(room);
    }

    join(room) {
        room.occupants.clear();
        this.client.presence({ to: `${room.jid}/${room.nick}` }, (presence) => {
            presence.c('x', { xmlns: MUC }).c('history', { maxstanzas: HISTORY_STANZAS })
                .up().up();
            this.addAvailability(presence, room.jid);
        });
    }

    monitoring(roomJid) {
        return !this.busy && this.prefs.monitors(roomJid);
    }

    availability(roomJid) {
        if (this.busy) return { show: 'dnd', status: 'Busy: chatting at my limit' };
        if (roomJid && !this.prefs.monitors(roomJid)) {
            return { show: 'away', status: 'Not monitoring: internal chat only' };
        }
        return { show: null, status: '' };
    }

    addAvailability(presence, roomJid) {
        const { show, status } = this.availability(roomJid);
        if (show) presence.c('show').t(show).up();
        if (status) presence.c('status').t(status).up();
    }

    /** Presence again everywhere: after a monitoring switch or a change of busy. */
    announce() {
        this.client.presence({}, (presence) => this.addAvailability(presence, null));
        for (const room of this.list.values()) {
            if (!room.joined) continue;
            this.client.presence({ to: `${room.jid}/${room.nick}` },
                (presence) => this.addAvailability(presence, room.jid));
        }
        this.changed();
    }

    setBusy(busy) {
        if (busy === this.busy) return;
        this.busy = busy;
        this.announce();
    }

    onPresence(stanza) {
        const from = stanza.getAttribute('from') || '';
        const room = this.list.get(Strophe.getBareJidFromJid(from));
        if (!room) return false;
        const nick = Strophe.getResourceFromJid(from);
        if (stanza.getAttribute('type') === 'error') {
            this.refused(room, stanza);
        } else {
            this.occupant(room, nick, stanza);
        }
        this.changed();
        return true;
    }

    refused(room, stanza) {
        const error = stanza.getElementsByTagName('error')[0];
        if (error?.getElementsByTagName(NICK_TAKEN).length && room.nick === this.nick) {
            room.nick = `${this.nick} (${this.client.jid.split('@')[1]})`;
            this.join(room);
            return;
        }
        room.joined = false;
        room.error = 'You could not enter this room.';
    }

    occupant(room, nick, stanza) {
        const x = child(stanza, 'x', MUC_USER);
        const item = x && child(x, 'item', MUC_USER);
        const self = x && Array.from(x.getElementsByTagName('status'))
            .some((status) => status.getAttribute('code') === '110');
        if (stanza.getAttribute('type') === 'unavailable') {
            room.occupants.delete(nick);
            if (self) room.joined = false;
            return;
        }
        room.occupants.set(nick, {
            nick, jid: Strophe.getBareJidFromJid(item?.getAttribute('jid') || ''),
            show: stanza.getElementsByTagName('show')[0]?.textContent || 'available', self,
        });
        if (self) {
            room.joined = true;
            room.error = '';
        }
    }

    /** A group chat line; the queue's offers are for the Patron Chats list, not here. */
    onGroupchat(stanza) {
        const from = stanza.getAttribute('from') || '';
        const room = this.list.get(Strophe.getBareJidFromJid(from));
        const body = stanza.getElementsByTagName('body')[0];
        if (!room || !body || Array.from(stanza.children).some((e) => e.namespaceURI === QUEUE)) {
            return;
        }
        const nick = Strophe.getResourceFromJid(from);
        const delay = child(stanza, 'delay', DELAY);
        room.lines.push({ nick, body: body.textContent, mine: nick === room.nick,
            at: delay ? new Date(delay.getAttribute('stamp')) : new Date(), earlier: !!delay });
        if (room.lines.length > MAX_LINES) room.lines.shift();
        this.changed({ room: room.jid, line: !delay && nick !== room.nick });
    }

    say(roomJid, text) {
        this.client.send($msg({ to: roomJid, type: 'groupchat' }).c('body').t(text));
    }

    /** Occupants of co-op rooms from other libraries, once each: "Operators from Other
     *  Systems". Their real JIDs are visible to members (the rooms are non-anonymous). */
    otherOperators(ownDomain, institutionOf) {
        const seen = new Map();
        for (const room of this.list.values()) {
            if (room.kind !== 'coop') continue;
            for (const occupant of room.occupants.values()) {
                const [user, domain] = occupant.jid.split('@');
                if (!user || !domain || domain === ownDomain || seen.has(occupant.jid)) continue;
                seen.set(occupant.jid, { jid: occupant.jid, name: occupant.nick,
                    institution: institutionOf(domain, room) });
            }
        }
        return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    }
}
