// Answers from the library's public FAQs, suggested under the question while the patron
// types it: they may find their answer at once, and asking stays one click away. Shown
// only when something matches; a search that fails shows nothing, as no match does.
import { h } from './dom.js';

const MIN_CHARS = 4; // fewer match too much to help
const DEBOUNCE_MS = 350; // search once typing pauses, not on every key
const MAX_SUGGESTIONS = 3; // enough to help, few enough to keep "Start chat" near
const MAX_WORDS = 200; // faq.xsd's words, counted in characters

let count = 0;

/** The suggestions for `textarea`, from `search(words, max)` (a promise of
 *  [{question, answer}]): the nodes to place after the question. */
export function suggestions(textarea, search) {
    const id = `refdesk-suggestions-${++count}`;
    const list = h('ul', {});
    const box = h('section', { class: 'suggestions', 'aria-labelledby': id, hidden: true },
        h('h3', { id }, 'Answers that may help'), list,
        h('p', { class: 'meta' }, 'Not what you need? A librarian will still answer you.'));
    // Read out politely, once per change of what is offered, never each keystroke.
    const announcer = h('p', { class: 'visually-hidden', role: 'status' });
    let latest = 0;
    let timer = null;
    const show = (asked, found) => {
        if (asked !== latest) return; // a newer search was asked: its answer wins
        list.replaceChildren(...found.map(suggestion));
        box.hidden = found.length === 0;
        announcer.textContent = found.length === 0 ? '' : `${found.length} answer${
            found.length === 1 ? '' : 's'} from the library's FAQs may help: see under your question.`;
    };
    textarea.addEventListener('input', () => {
        clearTimeout(timer);
        const asked = ++latest;
        const words = Array.from(textarea.value.replace(/\s+/g, ' ').trim())
            .slice(0, MAX_WORDS).join('');
        if (words.length < MIN_CHARS) return show(asked, []);
        timer = setTimeout(() => {
            if (!textarea.isConnected) return; // the patron has asked meanwhile
            search(words, MAX_SUGGESTIONS).then((found) => show(asked, found),
                () => show(asked, []));
        }, DEBOUNCE_MS);
        return undefined;
    });
    return [box, announcer];
}

/** One FAQ, its question a disclosure that opens on its answer; both only ever as text. */
function suggestion({ question, answer }) {
    return h('li', {}, h('details', {}, h('summary', {}, question),
        h('p', { class: 'answer' }, answer)));
}
