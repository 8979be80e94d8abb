// The librarian's own choices for this browser: kept in localStorage, per account, so that a
// shared desk computer keeps each librarian's settings apart. Never a secret.
const DEFAULTS = { chime: true, notify: true, capacity: 3, monitoring: {} };
export const MAX_CAPACITY = 10;

export class Prefs {
    constructor(jid) {
        this.key = `refdesk.console.prefs.${jid}`;
        let saved = {};
        try {
            saved = JSON.parse(localStorage.getItem(this.key) || '{}');
        } catch {
            saved = {}; // a damaged entry: start from the defaults
        }
        Object.assign(this, structuredClone(DEFAULTS), saved);
    }

    save() {
        const { chime, notify, capacity, monitoring } = this;
        localStorage.setItem(this.key, JSON.stringify({ chime, notify, capacity, monitoring }));
    }

    /** Whether the librarian monitors a room (on unless turned off). */
    monitors(room) {
        return this.monitoring[room] !== false;
    }

    setMonitoring(room, on) {
        this.monitoring[room] = on;
        this.save();
    }

    setCapacity(value) {
        const number = Math.round(Number(value));
        if (!Number.isFinite(number) || number < 1 || number > MAX_CAPACITY) {
            throw new Error(`Capacity is a whole number from 1 to ${MAX_CAPACITY}.`);
        }
        this.capacity = number;
        this.save();
    }
}
