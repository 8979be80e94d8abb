// One FAQ group opened in the FAQs section (views/faqs.js): its FAQs, each to edit or delete
// (after asking), and one more to add. A saved FAQ is searchable at once beside every chat.
import { useEffect, useRef, useState } from 'preact/hooks';
import { askFaq, availabilityTitle, buildFaq, readGroupFaqs } from '../faqask.js';
import { attempt, html, uid } from './html.js';

const BLANK = { id: '', question: '', answer: '', keywords: '' };

export function FaqGroup({ desk, faq, group, onChanged, onClose }) {
    const [faqs, setFaqs] = useState(null);
    const [editing, setEditing] = useState(null);
    const [error, setError] = useState('');
    const load = () => attempt(setError, async () => setFaqs(
        await readGroupFaqs(desk, faq, group.id)));
    useEffect(() => { load(); }, [group.id]);
    const edit = (entry) => {
        setEditing(entry);
        desk.focusOn('#faq-form-question');
    };
    const cancel = () => {
        desk.focusOn('#faq-group-heading');
        setEditing(null);
    };
    const done = async (said) => {
        desk.say(said);
        setEditing(null);
        desk.focusOn('#faq-group-heading');
        await load();
        onChanged();
    };
    const save = (entry) => attempt(setError, async () => {
        const attrs = { group: group.id, ...(entry.id ? { id: entry.id } : {}) };
        await askFaq(desk, faq, 'set', 'faq', (element) => buildFaq(element.attrs(attrs),
            entry));
        await done(entry.id ? 'FAQ saved.' : 'FAQ added.');
    });
    const remove = (entry) => attempt(setError, async () => {
        await askFaq(desk, faq, 'set', 'delete-faq', (element) => element.attrs(
            { id: entry.id }));
        await done('FAQ deleted.');
    });
    return html`
        <section class="faq-group" aria-labelledby="faq-group-heading">
            <h2 id="faq-group-heading" tabindex="-1">${group.name}</h2>
            <p>${availabilityTitle(group.availability)}</p>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            ${faqs === null ? html`<p class="empty">Loading…</p>` : html`
                <${Entries} faqs=${faqs} group=${group} editing=${editing}
                    onEdit=${edit} onSave=${save} onDelete=${remove} onCancel=${cancel} />`}
            ${editing === BLANK ? html`<${FaqForm} entry=${BLANK} onSave=${save}
                onCancel=${cancel} />` : html`<div class="actions">
                <button type="button" onClick=${() => edit(BLANK)}>Add FAQ</button>
                <button type="button" onClick=${onClose}>Close group</button></div>`}
        </section>`;
}

function Entries({ faqs, group, editing, onEdit, onSave, onDelete, onCancel }) {
    if (faqs.length === 0) return html`<p class="empty">No FAQ in ${group.name} yet.</p>`;
    return html`<ul class="chat-list" aria-label=${`FAQs of ${group.name}`}>${faqs.map(
        (entry) => html`<li key=${entry.id}>${editing?.id === entry.id
            ? html`<${FaqForm} entry=${entry} onSave=${onSave} onCancel=${onCancel} />`
            : html`<${Entry} entry=${entry} onEdit=${onEdit} onDelete=${onDelete} />`}
        </li>`)}</ul>`;
}

function Entry({ entry, onEdit, onDelete }) {
    const [named] = useState(() => uid('faq'));
    const [confirming, setConfirming] = useState(false);
    const confirm = useRef(null);
    useEffect(() => { if (confirming) confirm.current?.focus(); }, [confirming]);
    return html`
        <article class="preview" aria-labelledby=${named}>
            <h3 id=${named}>${entry.question}</h3>
            <p class="answer">${entry.answer}</p>
            ${entry.keywords && html`<p class="detail">Keywords: ${entry.keywords}</p>`}
            ${confirming ? html`<div class="actions" role="group" aria-label="Delete this FAQ?">
                <p>Delete this FAQ? This cannot be undone.</p>
                <button type="button" class="danger" ref=${confirm}
                    onClick=${() => onDelete(entry)}>
                    Delete FAQ</button>
                <button type="button" onClick=${() => setConfirming(false)}>Keep it</button>
            </div>` : html`<div class="actions">
                <button type="button" aria-describedby=${named}
                    onClick=${() => onEdit(entry)}>Edit FAQ</button>
                <button type="button" aria-describedby=${named}
                    onClick=${() => setConfirming(true)}>Delete FAQ</button></div>`}
        </article>`;
}

function FaqForm({ entry, onSave, onCancel }) {
    const [fields, setFields] = useState(entry);
    const id = 'faq-form'; // one form at a time: the focus is sent to its first field
    const field = (name) => ({
        id: `${id}-${name}`,
        value: fields[name],
        onInput: (event) => setFields({ ...fields, [name]: event.currentTarget.value }),
    });
    const submit = (event) => {
        event.preventDefault();
        onSave(fields);
    };
    return html`
        <form class="action-form" aria-label=${entry.id ? 'Edit FAQ' : 'New FAQ'}
            onSubmit=${submit} onKeyDown=${(event) => event.key === 'Escape' && onCancel()}>
            <div class="field wide"><label for=${`${id}-question`}>Question</label>
                <input required maxlength="1000" ...${field('question')} /></div>
            <div class="field wide"><label for=${`${id}-answer`}>Answer</label>
                <textarea required rows="5" maxlength="20000" ...${field('answer')} /></div>
            <div class="field wide"><label for=${`${id}-keywords`}>Keywords (optional)</label>
                <input maxlength="1000" ...${field('keywords')} /></div>
            <div class="actions">
                <button type="submit">${entry.id ? 'Save FAQ' : 'Add FAQ'}</button>
                <button type="button" onClick=${onCancel}>Cancel</button></div>
        </form>`;
}
