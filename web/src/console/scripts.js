// A library's scripted messages (schemas/faq.xsd), asked of its faq component: listed to
// whoever covers its patrons, changed by its local admins. Sending one into a chat is the
// chat's own business (PatronChats.send with a script name).
import { children } from './protocol.js';

export const FAQ = 'urn:refdesk:faq:0';

/** The scripts of a <scripts/> result, by name: [{name, text, updated}]. */
export function readScripts(result) {
    const listing = children(result, 'scripts', FAQ)[0];
    return children(listing, 'script', FAQ).map((script) => ({
        name: script.getAttribute('name') || '',
        text: script.textContent,
        updated: script.getAttribute('updated') || '',
    }));
}

export async function listScripts(client, faq) {
    return readScripts(await client.iq(faq, 'get', (iq) => iq.c('scripts', { xmlns: FAQ })));
}

export function saveScript(client, faq, name, text) {
    return client.iq(faq, 'set', (iq) => iq.c('script', { xmlns: FAQ, name }).t(text));
}

export function deleteScript(client, faq, name) {
    return client.iq(faq, 'set', (iq) => iq.c('delete-script', { xmlns: FAQ, name }));
}

/** The scripts whose name or text holds every word typed, names that start so first. */
export function matching(scripts, typed) {
    const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
    const found = scripts.filter((script) => words.every((word) =>
        script.name.includes(word) || script.text.toLowerCase().includes(word)));
    const first = words[0] || '';
    return [...found.filter((s) => s.name.startsWith(first)),
        ...found.filter((s) => !s.name.startsWith(first))];
}

/** A name as the faq component keeps it (faq.xsd's scriptName), or '' if it cannot be one. */
export function scriptName(typed) {
    const name = typed.trim().toLowerCase();
    return /^[a-z0-9][a-z0-9_-]{0,63}$/.test(name) ? name : '';
}
