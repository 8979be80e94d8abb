// Scripts, for the local admins of the librarian's library (its faq component refuses anyone
// else a change): every scripted message with its text, a form to add one or replace one by
// name, and Edit / Delete on each. Covering librarians send them from the Scripts tab beside
// a chat, or with `!script <name>` in any client.
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteScript, listScripts, saveScript, scriptName } from '../scripts.js';
import { attempt, html, keepsLibraryKnowledge, uid } from './html.js';

const FORM_NAME = '.scripts-section form.script-form input[name=name]';
const FORM_TEXT = '.scripts-section form.script-form textarea[name=text]';

function ScriptsSection({ desk }) {
    const faq = `faq.${desk.config.domain}`;
    const [scripts, setScripts] = useState(null);
    const [editing, setEditing] = useState(null);
    const [saved, setSaved] = useState(0); // a new, empty form after each save
    const [error, setError] = useState('');
    const load = () => attempt(setError, async () => setScripts(
        await listScripts(desk.client, faq)));
    useEffect(() => { load(); }, []);
    const save = (name, text) => attempt(setError, async () => {
        await saveScript(desk.client, faq, name, text);
        desk.say(`Script ${name} saved.`);
        setEditing(null);
        setSaved((count) => count + 1);
        await load();
        desk.focusOn(FORM_NAME);
    });
    const remove = (script) => attempt(setError, async () => {
        await deleteScript(desk.client, faq, script.name);
        desk.say(`Script ${script.name} deleted.`);
        await load();
        desk.focusOn(FORM_NAME);
    });
    const edit = (script) => {
        setEditing(script);
        desk.focusOn(FORM_TEXT);
    };
    return html`
        <section class="scripts-section" aria-labelledby="scripts-heading">
            <h2 id="scripts-heading">Scripts</h2>
            <p>Scripted messages of your library. A librarian covering one of your patrons
                sends one from the Scripts tab beside the chat, or types <code>!script
                name</code> in the chat; the patron sees its text as the librarian's
                line.</p>
            ${error && html`<p class="error" role="alert">${error}</p>`}
            <${ScriptForm} key=${editing?.name || `new-${saved}`} script=${editing} save=${save}
                cancel=${() => setEditing(null)} />
            <h3 id="script-list-heading">Your scripts</h3>
            ${scripts === null ? html`<p class="empty">Loading…</p>`
                : html`<${Scripts} scripts=${scripts} edit=${edit} remove=${remove} />`}
        </section>`;
}

function ScriptForm({ script, save, cancel }) {
    const ids = useRef({ name: uid('script-name'), text: uid('script-text') }).current;
    // What the librarian typed is kept here: the console redraws every second (wait
    // timers), and a field whose value the draw sets would be emptied by it.
    const [fields, setFields] = useState({ name: script?.name || '', text: script?.text || '' });
    const [problem, setProblem] = useState('');
    const submit = (event) => {
        event.preventDefault();
        const name = scriptName(fields.name);
        if (!name) {
            setProblem('A name is one word: letters, digits, - or _ (e.g. homework).');
            return;
        }
        setProblem('');
        save(name, fields.text.trim());
    };
    const typed = (field) => (event) => setFields({ ...fields, [field]: event.target.value });
    return html`
        <form class="script-form" onSubmit=${submit}>
            <h3>${script ? `Edit ${script.name}` : 'Add a script'}</h3>
            <label for=${ids.name}>Name (one word, as typed after !script)</label>
            <input id=${ids.name} name="name" type="text" maxlength="64" required
                value=${fields.name} readonly=${Boolean(script)} onInput=${typed('name')} />
            <label for=${ids.text}>Text the patron sees</label>
            <textarea id=${ids.text} name="text" rows="3" maxlength="4000" required
                value=${fields.text} onInput=${typed('text')}></textarea>
            ${problem && html`<p class="error" role="alert">${problem}</p>`}
            <div class="actions">
                <button type="submit">Save script</button>
                ${script && html`<button type="button" onClick=${cancel}>Cancel</button>`}
            </div>
        </form>`;
}

function Scripts({ scripts, edit, remove }) {
    if (scripts.length === 0) return html`<p class="empty">No scripts yet.</p>`;
    return html`<ul class="script-list" aria-labelledby="script-list-heading">${scripts.map(
        (script) => html`<li key=${script.name}>
            <strong>${script.name}</strong>
            <span class="script-text">${script.text}</span>
            <div class="actions">
                <button type="button" aria-label=${`Edit ${script.name}`}
                    onClick=${() => edit(script)}>Edit</button>
                <button type="button" aria-label=${`Delete ${script.name}`}
                    onClick=${() => remove(script)}>Delete</button>
            </div>
        </li>`)}</ul>`;
}

export default {
    id: 'scripts',
    title: 'Scripts',
    label: () => 'Scripts',
    shown: keepsLibraryKnowledge,
    view: ScriptsSection,
};
