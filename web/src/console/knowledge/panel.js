// Beside each chat: what the patron's home library has written for whoever covers its
// patrons (schemas/faq.xsd, asked of faq.<library>): its FAQs, its policy page, its scripts.
// One module per tab; each gets the library's faq address and what it may do with the chat.
import { useState } from 'preact/hooks';
import { html } from '../views/html.js';
import { FaqTab } from './faqs.js';
import { PolicyTab } from './policy.js';
import { ScriptsTab } from './scripts.js';

const TABS = [
    { id: 'faqs', title: 'FAQs', view: FaqTab },
    { id: 'policy', title: 'Policy page', view: PolicyTab },
    { id: 'scripts', title: 'Scripts', view: ScriptsTab },
];

/** faq.<library> of the patron whose chat is `jid` (chat-<id>@queue.<library>). */
export function faqAddress(jid) {
    const domain = jid.split('@')[1] || '';
    return `faq.${domain.replace(/^queue\./, '')}`;
}

/** `insert(text)` puts an answer in the chat's composer for the librarian to adapt and send. */
export function KnowledgePanel({ desk, talk, insert }) {
    const [tab, setTab] = useState('faqs');
    const faq = faqAddress(talk.jid);
    const Tab = TABS.find((each) => each.id === tab).view;
    return html`
        <aside class="knowledge" aria-label="The patron's library">
            <div class="pane-tabs">
                ${TABS.map((each) => html`
                    <button type="button" aria-pressed=${tab === each.id ? 'true' : 'false'}
                        onClick=${() => setTab(each.id)}>${each.title}</button>`)}
            </div>
            <${Tab} desk=${desk} talk=${talk} faq=${faq} insert=${insert} />
        </aside>`;
}
