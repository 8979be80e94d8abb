// What the console asks of a library's faq component (urn:refdesk:faq:0, schemas/faq.xsd):
// its FAQs and groups, read as plain objects. As with the archives, an answer counts only from
// the very address asked, and that address only when the console trusts it (trust.js): a
// stranger's stanza must never put words in a librarian's mouth.
import { child, children } from './protocol.js';

export const FAQ = 'urn:refdesk:faq:0';

export const AVAILABILITIES = [
    { id: 'public', title: 'Public', help: 'anyone, patrons included, finds these' },
    { id: 'staffing', title: '24/7 Staffing', help: 'only co-op staff covering your patrons' },
    { id: 'internal', title: 'Internal', help: 'your own librarians' },
    { id: 'restricted-internal', title: 'Restricted Internal', help: 'your local admins' },
    { id: 'hidden', title: 'Hidden', help: 'searched by no one; kept for editing' },
];

export function availabilityTitle(id) {
    return AVAILABILITIES.find((each) => each.id === id)?.title || id;
}

/** An iq carrying <name/> to a trusted faq component; the result's payload `answer` (null
 *  when it has none). */
export async function askFaq(desk, to, type, name, build, answer = name) {
    if (!desk.trust.isFaq(to)) throw new Error(`${to} is not a library of your co-ops.`);
    const result = await desk.client.iq(to, type, (iq) => build(iq.c(name, { xmlns: FAQ })));
    if (result.getAttribute('from') !== to) throw new Error(`No answer from ${to}.`);
    return child(result, answer, FAQ);
}

function text(element, name) {
    return child(element, name, FAQ)?.textContent || '';
}

/** <faq/> as a plain object. */
export function readFaq(element) {
    return {
        id: element.getAttribute('id') || '',
        group: element.getAttribute('group') || '',
        groupName: element.getAttribute('group-name') || '',
        availability: element.getAttribute('availability') || '',
        // Either mark is enough: a 24/7 Staffing answer must never look sendable.
        staffOnly: element.getAttribute('staff-only') === 'true'
            || element.getAttribute('availability') === 'staffing',
        updated: element.getAttribute('updated') || '',
        question: text(element, 'question'),
        answer: text(element, 'answer'),
        keywords: text(element, 'keywords'),
    };
}

export function readFaqs(element) {
    return children(element, 'faq', FAQ).map(readFaq);
}

const RSM = 'http://jabber.org/protocol/rsm';

/** Every FAQ of a group, a page at a time (XEP-0059): the component sends as many as fit one
 *  stanza and says how many the group holds. */
export async function readGroupFaqs(desk, faq, group) {
    const faqs = [];
    for (;;) {
        const after = faqs.at(-1)?.id;
        const page = await askFaq(desk, faq, 'get', 'faqs', (element) => {
            element.attrs({ group });
            return after ? element.c('set', { xmlns: RSM }).c('after').t(after).up().up()
                : element;
        });
        const read = readFaqs(page);
        faqs.push(...read);
        const count = Number(child(child(page, 'set', RSM), 'count', RSM)?.textContent || 0);
        if (read.length === 0 || faqs.length >= count) return faqs;
    }
}

export function readGroups(element) {
    return children(element, 'group', FAQ).map((group) => ({
        id: group.getAttribute('id') || '',
        name: group.getAttribute('name') || '',
        availability: group.getAttribute('availability') || '',
        count: Number(group.getAttribute('count') || 0),
    }));
}

/** Best first, at most `max`: what a librarian typed, searched at `faq`. */
export async function searchFaqs(desk, faq, words, max = 10) {
    const results = await askFaq(desk, faq, 'get', 'search',
        (search) => search.attrs({ max: String(max) }).c('text').t(words), 'results');
    return readFaqs(results);
}

/** Adds a FAQ's question, answer and keywords (a <faq/> being saved). */
export function buildFaq(element, faq) {
    element.c('question').t(faq.question.trim()).up().c('answer').t(faq.answer.trim()).up();
    if (faq.keywords.trim()) element.c('keywords').t(faq.keywords.trim()).up();
    return element;
}
