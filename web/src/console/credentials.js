// What lets a reload log in again without the password: the JID, a resource stable for this
// tab, and the SCRAM client and server keys strophe.js derived at the last login (they prove
// the account to this server, but are not the password and do not reveal it). Kept in
// sessionStorage: gone when the tab closes, cleared by Log out.
const KEY = 'refdesk.console.login';
const RESOURCE = 'refdesk.console.resource';

export function resource() {
    let value = sessionStorage.getItem(RESOURCE);
    if (!value) {
        const bytes = crypto.getRandomValues(new Uint8Array(6));
        value = `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
        sessionStorage.setItem(RESOURCE, value);
    }
    return value;
}

export function saved() {
    try {
        const login = JSON.parse(sessionStorage.getItem(KEY) || 'null');
        return login?.jid && login?.keys ? login : null;
    } catch {
        return null;
    }
}

export function keep(jid, keys) {
    if (keys) sessionStorage.setItem(KEY, JSON.stringify({ jid, keys }));
}

export function forget() {
    sessionStorage.removeItem(KEY);
}
