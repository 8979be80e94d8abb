// The FAQs tab beside a chat (knowledge/panel.js): the patron's home library's FAQs, searched
// as the librarian types. Each library's faq component decides what the librarian may read;
// 24/7 Staffing answers come back marked staff-only and are shown as such, with no Insert:
// they are written for the librarian covering the chat (whom to call, what not to promise),
// and one slip of a click must not send them to the patron. A librarian who wants to pass
// something of one on types it in their own words.
import { useEffect, useRef, useState } from 'preact/hooks';
import { searchFaqs } from '../faqask.js';
import { html, uid } from '../views/html.js';

const DEBOUNCE_MS = 250;
export const STAFF_ONLY = 'Staff only — do not send to the patron';

/** Searches `faq` for `words` shortly after the last keystroke; only the latest search's
 *  answer is shown, whatever order the answers arrive in. */
function useSearch(desk, faq, words) {
    const [found, setFound] = useState({ words: '', results: [], error: '' });
    const latest = useRef(0);
    useEffect(() => {
        const asked = words.trim();
        latest.current += 1;
        const ticket = latest.current;
        if (!asked) {
            setFound({ words: '', results: [], error: '' });
            return undefined;
        }
        const timer = setTimeout(async () => {
            let next;
            try {
                next = { words: asked, results: await searchFaqs(desk, faq, asked), error: '' };
            } catch (error) {
                next = { words: asked, results: [], error: error.message };
            }
            if (ticket === latest.current) setFound(next);
        }, DEBOUNCE_MS);
        return () => clearTimeout(timer);
    }, [faq, words]);
    return found;
}

export function FaqTab({ desk, faq, insert }) {
    const [words, setWords] = useState('');
    const id = useRef(uid('faq-search')).current;
    const found = useSearch(desk, faq, words);
    const library = libraryName(desk, faq);
    return html`
        <div class="faq-tab">
            <form role="search" aria-label="FAQ search"
                onSubmit=${(event) => event.preventDefault()}>
                <label for=${id}>Search the FAQs of ${library}</label>
                <input id=${id} type="search" maxlength="200" autocomplete="off"
                    value=${words} onInput=${(event) => setWords(event.currentTarget.value)} />
            </form>
            ${found.error && html`<p class="error" role="alert">${found.error}</p>`}
            <p class="faq-count" aria-live="polite">${summary(found)}</p>
            ${found.results.length > 0 && html`
                <ul class="faq-results" aria-label="FAQs found">${found.results.map((each) => html`
                    <li key=${each.id}><${Result} faq=${each} insert=${insert} /></li>`)}</ul>`}
        </div>`;
}

function Result({ faq, insert }) {
    const [heading] = useState(() => uid('faq'));
    return html`
        <article class=${faq.staffOnly ? 'faq staff-only' : 'faq'} aria-labelledby=${heading}>
            <h3 id=${heading}>${faq.question}</h3>
            ${faq.staffOnly && html`<p class="mark"><strong>${STAFF_ONLY}</strong></p>`}
            <p class="answer">${faq.answer}</p>
            <p class="detail">${faq.groupName}</p>
            ${!faq.staffOnly && html`<div class="actions">
                <button type="button" aria-describedby=${heading}
                    onClick=${() => insert(faq.answer)}>Insert</button></div>`}
        </article>`;
}

function summary(found) {
    if (!found.words) return 'Type a few words of the patron\'s question.';
    const count = found.results.length;
    if (count === 0) return `No FAQ matches “${found.words}”.`;
    return `${count === 1 ? '1 FAQ' : `${count} FAQs`} for “${found.words}”.`;
}

/** The library's name as the desk knows it, else its domain. */
function libraryName(desk, faq) {
    const domain = faq.replace(/^faq\./, '');
    if (domain === desk.info?.library) return desk.info.name || domain;
    const member = (desk.info?.coops || []).flatMap((coop) => coop.members)
        .find((each) => each.domain === domain);
    return member?.name || domain;
}
