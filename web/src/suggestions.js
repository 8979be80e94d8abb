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
    return new Suggestions(textarea, search).nodes;
}

class Suggestions {
    constructor(textarea, search) {
        this.textarea = textarea;
        this.search = search;
        this.latest = 0; // the newest search asked; only its answer is shown
        this.timer = null;
        const id = `refdesk-suggestions-${++count}`;
        this.list = h('ul', {});
        this.box = h('section', { class: 'suggestions', 'aria-labelledby': id, hidden: true },
            h('h3', { id }, 'Answers that may help'), this.list,
            h('p', { class: 'meta' }, 'Not what you need? A librarian will still answer you.'));
        // Read out politely, once per change of what is offered, never each keystroke.
        this.announcer = h('p', { class: 'visually-hidden', role: 'status' });
        this.nodes = [this.box, this.announcer];
        textarea.addEventListener('input', () => this.typed());
    }

    typed() {
        clearTimeout(this.timer);
        const asked = ++this.latest;
        const words = Array.from(this.textarea.value.replace(/\s+/g, ' ').trim())
            .slice(0, MAX_WORDS).join('');
        if (words.length < MIN_CHARS) {
            this.show(asked, []);
            return;
        }
        this.timer = setTimeout(() => {
            if (!this.textarea.isConnected) return; // the patron has asked meanwhile
            this.search(words, MAX_SUGGESTIONS).then((found) => this.show(asked, found),
                () => this.show(asked, []));
        }, DEBOUNCE_MS);
    }

    show(asked, found) {
        if (asked !== this.latest) return; // a newer search was asked: its answer wins
        this.list.replaceChildren(...found.map(suggestion));
        this.box.hidden = found.length === 0;
        const n = found.length;
        this.announcer.textContent = n === 0 ? '' : `${n} answer${n === 1 ? '' : 's'} from `
            + "the library's FAQs may help: see under your question.";
    }
}

/** One FAQ, its question a disclosure that opens on its answer; both only ever as text. */
function suggestion({ question, answer }) {
    return h('li', {}, h('details', {}, h('summary', {}, question),
        h('p', { class: 'answer' }, answer)));
}
