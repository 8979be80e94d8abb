// The library's FAQs as CSV, in the FAQs section: exported as the faq component writes it
// (group, availability, question, answer, keywords), and imported the same way: all rows or
// none, the server's error naming the line that is wrong.
import { useRef, useState } from 'preact/hooks';
import { download } from '../export.js';
import { askFaq } from '../faqask.js';
import { attempt, html, uid } from './html.js';

// What one import stanza may carry: schemas/faq.xsd's csvText in characters, and in bytes as
// sent (UTF-8, escaped) well under the server's limit on what a client sends (Prosody: 256
// KiB), which would close the librarian's connection. Larger files go through
// `refdesk faq import`.
const MAX_CSV = 200_000;
const MAX_CSV_BYTES = 200_000;

function bytesAsSent(text) {
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return new TextEncoder().encode(escaped).length;
}

export function FaqCsv({ desk, faq, onImported }) {
    const [error, setError] = useState('');
    const [done, setDone] = useState('');
    const [id] = useState(() => uid('faq-csv'));
    const file = useRef(null);
    const exportCsv = () => attempt(setError, async () => {
        const csv = await askFaq(desk, faq, 'get', 'export', (element) => element,
            'csv');
        download(`faqs-${desk.config.domain}.csv`, 'text/csv', csv?.textContent || '');
        desk.say('FAQs exported.');
    });
    const importCsv = (event) => attempt(setError, async () => {
        event.preventDefault();
        setDone('');
        const chosen = file.current?.files?.[0];
        if (!chosen) throw new Error('Choose a CSV file to import.');
        const text = await chosen.text();
        if (text.length > MAX_CSV || bytesAsSent(text) > MAX_CSV_BYTES) {
            throw new Error('This file is too large to import here: use refdesk faq import.');
        }
        const imported = await askFaq(desk, faq, 'set', 'import',
            (element) => element.c('csv').t(text).up(), 'imported');
        const said = `Imported ${counted(imported, 'faqs', 'FAQ')} into `
            + `${counted(imported, 'groups', 'group')}.`;
        setDone(said);
        desk.say(said);
        file.current.value = '';
        await onImported();
    });
    return html`
        <h3 id=${`${id}-heading`}>CSV</h3>
        <p>Columns: group, availability, question, answer, keywords. An import adds every
            row or, if one is wrong, none.</p>
        ${error && html`<p class="error" role="alert">${error}</p>`}
        ${done && html`<p>${done}</p>`}
        <div class="actions"><button type="button" onClick=${exportCsv}>Export CSV</button></div>
        <form class="action-form" aria-labelledby=${`${id}-heading`} onSubmit=${importCsv}>
            <div class="field wide"><label for=${`${id}-file`}>CSV file to import</label>
                <input id=${`${id}-file`} type="file" accept=".csv,text/csv" ref=${file} />
            </div>
            <div class="actions"><button type="submit">Import CSV</button></div>
        </form>`;
}

/** "1 FAQ", "3 groups": an <imported/> count. */
function counted(imported, name, noun) {
    const count = Number(imported?.getAttribute(name) || 0);
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
