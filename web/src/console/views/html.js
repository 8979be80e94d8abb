// Views are Preact components written with htm's tagged templates: no JSX build step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

const LONG_WAIT_S = 120;

// Where the keyboard focus goes after logging in: the section shown, in the navigation.
export const CURRENT_SECTION = 'nav[aria-label="Console sections"] [aria-current=page]';

/** The selector of the element whose `data-key` is `key` (a JID, quoted for CSS). */
export function keyed(key) {
    return `[data-key="${CSS.escape(key)}"]`;
}

/** "3:07" since an ISO time, and whether that is a long wait. */
export function waited(since, now = Date.now()) {
    const seconds = Math.max(0, Math.floor((now - new Date(since)) / 1000));
    const minutes = Math.floor(seconds / 60);
    return { text: `${minutes}:${String(seconds % 60).padStart(2, '0')}`,
        long: seconds >= LONG_WAIT_S };
}

export function clock(at) {
    return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Runs an action, showing its error (the server's own words) in `setError`. */
export async function attempt(setError, action) {
    setError('');
    try {
        return await action();
    } catch (error) {
        setError(error.message);
        return undefined;
    }
}

let ids = 0;
export function uid(prefix) {
    ids += 1;
    return `${prefix}-${ids}`;
}

/** One of the library's local admins, at a library with patrons: they keep its FAQs, policy
 *  page and scripts (a co-op's coordinating host, with no archive, keeps none). */
export function keepsLibraryKnowledge(desk) {
    return Boolean(desk.info?.me?.localAdmin && desk.trust.archiveOf(desk.info.library));
}
