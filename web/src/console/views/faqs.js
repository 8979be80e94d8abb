// FAQs, for the local admins of the librarian's library (its faq component refuses anyone
// else any change): the groups with who may read them and how many FAQs each holds; creating,
// renaming, changing who reads, deleting a group (after asking); a group's FAQs opened below
// (faq-group.js); the whole as CSV (faq-csv.js). The console shows the section to those its
// queue's desk calls admins (the library's local admins, and its institution admins in its
// co-ops, who are local admins in every library set up so far): nobody else sees a section
// whose every change would be refused. The faq component still decides each request, and an
// admin it refuses reads its words.
import { useEffect, useRef, useState } from 'preact/hooks';
import { askFaq, AVAILABILITIES, availabilityTitle, readGroups } from '../faqask.js';
import { FaqCsv } from './faq-csv.js';
import { FaqGroup } from './faq-group.js';
import { attempt, html, keepsLibraryKnowledge, uid } from './html.js';

const NEW = { id: '', name: '', availability: 'public' };

/** The library's groups, and saving or deleting one; `done` after either succeeds. */
function useGroups(desk, faq, done) {
    const [groups, setGroups] = useState(null);
    const [error, setError] = useState('');
    const load = () => attempt(setError, async () => setGroups(readGroups(
        await askFaq(desk, faq, 'get', 'groups', (groups) => groups))));
    useEffect(() => { load(); }, []);
    const save = (group) => attempt(setError, async () => {
        const attrs = { name: group.name.trim(), availability: group.availability };
        if (group.id) attrs.id = group.id;
        await askFaq(desk, faq, 'set', 'group', (element) => element.attrs(attrs));
        desk.say(group.id ? `Group ${attrs.name} saved.` : `Group ${attrs.name} created.`);
        done();
        await load();
    });
    const remove = (group) => attempt(setError, async () => {
        await askFaq(desk, faq, 'set', 'delete-group', (element) => element.attrs(
            { id: group.id }));
        desk.say(`Group ${group.name} and its FAQs deleted.`);
        done();
        await load();
    });
    return { groups, error, load, save, remove };
}

function Faqs({ desk }) {
    const faq = `faq.${desk.config.domain}`;
    const [open, setOpen] = useState(null); // the group whose FAQs are shown
    const [editing, setEditing] = useState(null); // a group being created or changed
    const { groups, error, load, save, remove } = useGroups(desk, faq, () => {
        setEditing(null);
        desk.focusOn('#faq-groups-heading');
    });
    const edit = (group) => {
        setEditing(group);
        desk.focusOn('#faq-group-form-name');
    };
    const cancel = () => {
        desk.focusOn(editing?.id ? '#faq-groups-heading' : '#faq-new-group');
        setEditing(null);
    };
    const shown = open && groups?.find((group) => group.id === open.id);
    return html`
        <section class="faqs" aria-labelledby="faqs-heading">
            <h2 id="faqs-heading">FAQs</h2>
            <p>Your library's FAQs, in groups. Who may read a group is its availability;
                librarians covering your patrons search them beside each chat.</p>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <h3 id="faq-groups-heading" tabindex="-1">Groups</h3>
            ${groups === null ? html`<p class="empty">Loading…</p>` : html`
                <${Groups} groups=${groups} open=${shown} onOpen=${(group) => {
                    setOpen(group);
                    desk.focusOn('#faq-group-heading');
                }} onEdit=${edit} onDelete=${remove} />`}
            ${editing ? html`<${GroupForm} group=${editing} onSave=${save}
                onCancel=${cancel} />` : html`<div class="actions">
                <button type="button" id="faq-new-group" onClick=${() => edit(NEW)}>
                    New group</button>
                <button type="button" onClick=${load}>Refresh</button></div>`}
            <${FaqCsv} desk=${desk} faq=${faq} onImported=${load} />
        </section>
        ${shown && html`<${FaqGroup} key=${shown.id} desk=${desk} faq=${faq} group=${shown}
            onChanged=${load} onClose=${() => setOpen(null)} />`}`;
}

function Groups({ groups, open, onOpen, onEdit, onDelete }) {
    if (groups.length === 0) return html`<p class="empty">No group yet.</p>`;
    return html`<ul class="chat-list" aria-labelledby="faq-groups-heading">${groups.map(
        (group) => html`<li key=${group.id}><${GroupItem} group=${group}
            open=${group === open} onOpen=${onOpen} onEdit=${onEdit}
            onDelete=${onDelete} /></li>`)}</ul>`;
}

function GroupItem({ group, open, onOpen, onEdit, onDelete }) {
    const [named] = useState(() => uid('group'));
    const [confirming, setConfirming] = useState(false);
    const confirm = useRef(null);
    const ask = useRef(null);
    const asked = useRef(false); // "Keep it" hands the focus back to "Delete group"
    useEffect(() => {
        if (confirming) confirm.current?.focus();
        else if (asked.current) ask.current?.focus();
        asked.current = confirming;
    }, [confirming]);
    const count = group.count === 1 ? '1 FAQ' : `${group.count} FAQs`;
    return html`
        <div class="preview">
            <p><strong id=${named}>${group.name}</strong></p>
            <p>${availabilityTitle(group.availability)} · ${count}</p>
            ${confirming ? html`<div class="actions" role="group"
                aria-label=${`Delete ${group.name}?`}>
                <p>Delete ${group.name} and its ${count}? This cannot be undone.</p>
                <button type="button" class="danger" ref=${confirm}
                    onClick=${() => onDelete(group)}>Delete group and FAQs</button>
                <button type="button" onClick=${() => setConfirming(false)}>Keep it</button>
            </div>` : html`<div class="actions">
                <button type="button" aria-describedby=${named} aria-expanded=${open}
                    onClick=${() => onOpen(group)}>Open FAQs</button>
                <button type="button" aria-describedby=${named}
                    onClick=${() => onEdit(group)}>Edit group</button>
                <button type="button" aria-describedby=${named} ref=${ask}
                    onClick=${() => setConfirming(true)}>Delete group</button></div>`}
        </div>`;
}

function GroupForm({ group, onSave, onCancel }) {
    const [fields, setFields] = useState(group);
    const id = 'faq-group-form'; // one form at a time: the focus is sent to its first field
    const submit = (event) => {
        event.preventDefault();
        onSave(fields);
    };
    const escape = (event) => {
        if (event.key === 'Escape') onCancel();
    };
    return html`
        <form class="action-form" aria-label=${group.id ? `Edit ${group.name}` : 'New group'}
            onSubmit=${submit} onKeyDown=${escape}>
            <div class="field"><label for=${`${id}-name`}>Group name</label>
                <input id=${`${id}-name`} required maxlength="255"
                    value=${fields.name} onInput=${(event) => setFields(
                        { ...fields, name: event.currentTarget.value })} /></div>
            <div class="field"><label for=${`${id}-availability`}>Who may read it</label>
                <select id=${`${id}-availability`} value=${fields.availability}
                    onChange=${(event) => setFields(
                        { ...fields, availability: event.currentTarget.value })}>
                    ${AVAILABILITIES.map((each) => html`<option value=${each.id}>
                        ${each.title}: ${each.help}</option>`)}</select></div>
            <div class="actions">
                <button type="submit">${group.id ? 'Save group' : 'Create group'}</button>
                <button type="button" onClick=${onCancel}>Cancel</button></div>
        </form>`;
}

export default {
    id: 'faqs',
    title: 'FAQs',
    label: () => 'FAQs',
    shown: keepsLibraryKnowledge,
    view: Faqs,
};
