// What the console asks of a library's queue: urn:refdesk:console:0 (schemas/console.xsd),
// the chat commands every client has (XEP-0050 at the chat's JID), and reading the
// urn:refdesk:queue:0 offers and notices the queue sends to rooms and librarians.
export const CONSOLE = 'urn:refdesk:console:0';
export const QUEUE = 'urn:refdesk:queue:0';
export const COMMANDS = 'http://jabber.org/protocol/commands';
export const DATA = 'jabber:x:data';
export const MUC = 'http://jabber.org/protocol/muc';
export const MUC_USER = 'http://jabber.org/protocol/muc#user';
export const CHATSTATES = 'http://jabber.org/protocol/chatstates';
export const RECEIPTS = 'urn:xmpp:receipts';
export const DELAY = 'urn:xmpp:delay';
export const SID = 'urn:xmpp:sid:0';

export function child(element, name, ns = CONSOLE) {
    if (!element) return null;
    return Array.from(element.children).find(
        (e) => e.localName === name && e.namespaceURI === ns) || null;
}

export function children(element, name, ns = CONSOLE) {
    return element ? Array.from(element.children).filter(
        (e) => e.localName === name && e.namespaceURI === ns) : [];
}

function childText(element, name, ns = CONSOLE) {
    const found = child(element, name, ns);
    return found ? found.textContent : '';
}

function attrs(element, names) {
    return Object.fromEntries(names.map((name) => [name, element.getAttribute(name) || '']));
}

/** <desk/> as a plain object. */
export function readDesk(desk) {
    const me = child(desk, 'me');
    const room = (element) => attrs(element, ['jid', 'name']);
    return {
        library: desk.getAttribute('library') || '',
        name: desk.getAttribute('name') || '',
        me: me ? { ...attrs(me, ['jid', 'nick']), admin: me.getAttribute('admin') === 'true',
            localAdmin: me.getAttribute('local-admin') === 'true' }
            : null,
        staffRoom: child(desk, 'staff-room') ? room(child(desk, 'staff-room')) : null,
        departments: children(desk, 'department').map(room),
        coops: children(desk, 'coop').map((coop) => ({
            ...attrs(coop, ['id', 'name', 'room', 'host', 'host-name', 'level']),
            members: children(coop, 'member').map((m) => attrs(m, ['domain', 'name', 'queue'])),
        })),
    };
}

/** Each <chat/> of a <chats/> as a plain object. */
export function readChats(chats) {
    return children(chats, 'chat').map((chat) => ({
        ...attrs(chat, ['jid', 'state', 'library', 'library-name', 'widget', 'widget-name',
            'coop', 'coop-name', 'since', 'taken-nick', 'taken-institution']),
        home: chat.getAttribute('home') === 'true',
        mine: chat.getAttribute('mine') === 'true',
        name: childText(chat, 'name'),
        question: childText(chat, 'question'),
        referrer: childText(chat, 'referrer'),
        userAgent: childText(chat, 'user-agent'),
        transfer: childText(chat, 'transfer'),
    }));
}

/** <line/> elements (a history, or a supervised chat's copy) as plain objects. */
export function readLines(parent) {
    return children(parent, 'line').map((line) => ({
        ...attrs(line, ['chat', 'sender', 'nick', 'at']),
        seq: Number(line.getAttribute('seq')),
        body: line.textContent,
    }));
}

export function readTargets(targets) {
    return children(targets, 'target').map(
        (target) => attrs(target, ['kind', 'to', 'label', 'institution']));
}

/** An offer's human body: "New chat from Library (Widget, via Co-op):", the question in
 *  quotes, "Patron: name", "Asked on URL". Only for a chat the feed has not described. */
export function readOfferBody(body) {
    const head = /^(?:New chat|Chat passed on) from (.+) \(([^,)]+)(?:, via ([^)]+))?\):/m
        .exec(body);
    return {
        'library-name': head ? head[1] : '',
        'widget-name': head ? head[2] : '',
        'coop-name': head?.[3] || '',
        question: /“([\s\S]*)”/.exec(body)?.[1] || '',
        name: /^Patron: ([^<\n]+?)\s*(?:<[^>]*>)?$/m.exec(body)?.[1] || '',
        referrer: /^Asked on (.+)$/m.exec(body)?.[1] || '',
    };
}

/** The notes of a completed ad-hoc command, joined. */
export function commandNotes(result) {
    const command = child(result, 'command', COMMANDS);
    return children(command, 'note', COMMANDS).map((note) => note.textContent).join('\n');
}
