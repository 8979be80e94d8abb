// The policy page tab beside a chat (knowledge/panel.js): the patron's library's page as
// faq.<library> answers it (schemas/faq.xsd <policy/>), field by field under the template's
// labels, when it was last updated, whether a co-op finds it out of date, and one click to
// put a field's text in the composer. The editing section (views/policy.js) shares this.
import { useEffect, useState } from 'preact/hooks';
import { child, children } from '../protocol.js';
import { attempt, html } from '../views/html.js';

export const FAQ = 'urn:refdesk:faq:0';

/** The template's fields in order: [name, label, hint] (components/faq/policytemplate.py). */
export const TEMPLATE = [
    ['catalogue', 'Catalogue', 'Where the catalogue is and how patrons search it'],
    ['databases', 'Databases', 'The main databases and who may use them'],
    ['database-access', 'Database access for co-op librarians',
        'How a librarian of the co-op gets in (a shared login, a proxy)'],
    ['late-fees', 'Late fees', 'Fines, and how patrons pay them'],
    ['renewals', 'Renewals', 'How often and how patrons renew'],
    ['course-reserves', 'Course reserves', 'Where reserves are and loan periods'],
    ['interlibrary-loan', 'Interlibrary loan', 'Who may request, how, and how long it takes'],
    ['hours', 'Hours', 'Opening hours of each building or desk'],
    ['holidays', 'Holidays', 'Closures and changed hours'],
    ['other', 'Other topics', 'Anything else patrons often ask'],
];

/** <policy/> as {fields: {name: text}, updated, updatedBy, stale: [{coop, days}]}. */
export function readPolicy(result) {
    const page = child(result, 'policy', FAQ);
    return {
        fields: Object.fromEntries(children(page, 'field', FAQ).map(
            (field) => [field.getAttribute('name'), field.textContent])),
        updated: page?.getAttribute('updated') || '',
        updatedBy: page?.getAttribute('updated-by') || '',
        stale: children(page, 'stale', FAQ).map((flag) => ({
            coop: flag.getAttribute('coop'), days: flag.getAttribute('max-age-days') })),
    };
}

export function askPolicy(desk, faq, type = 'get', fields = null) {
    return desk.client.iq(faq, type, (iq) => {
        iq.c('policy', { xmlns: FAQ });
        for (const [name, text] of Object.entries(fields || {})) {
            if (text.trim()) iq.c('field', { name }).t(text).up();
        }
    }).then(readPolicy);
}

export function day(at) {
    return at ? new Date(at).toLocaleDateString([], { dateStyle: 'medium' }) : '';
}

/** "Last updated …", and a warning per co-op the page is too old for. */
export function PolicyDate({ page, coopName = (id) => id }) {
    return html`
        <p class="policy-updated">${page.updated
            ? `Last updated ${day(page.updated)}${page.updatedBy ? ` by ${page.updatedBy}` : ''}.`
            : 'No policy page yet.'}</p>
        ${page.stale.map((flag) => html`
            <p class="warning" role="status">${
                `Out of date for ${coopName(flag.coop)}: older than ${flag.days} days.`}</p>`)}`;
}

/** The library of the chat `talk` is the patron's: its faq component, if the console follows
 *  that library (trusted as its archive is), else null. */
function trustedFaq(desk, faq) {
    return desk.trust.archiveOf(faq.replace(/^faq\./, '')) ? faq : null;
}

export function PolicyTab({ desk, faq, insert }) {
    const [page, setPage] = useState(null);
    const [error, setError] = useState('');
    const address = trustedFaq(desk, faq);
    useEffect(() => {
        if (address) attempt(setError, async () => setPage(await askPolicy(desk, address)));
    }, [address]);
    if (!address) return html`<p>This library's policy page is not shown here.</p>`;
    if (error) return html`<p class="error" role="alert">${error}</p>`;
    if (!page) return html`<p aria-busy="true">Loading the policy page…</p>`;
    const filled = TEMPLATE.filter(([name]) => page.fields[name]);
    return html`
        <div class="policy-page">
            <${PolicyDate} page=${page} />
            ${filled.length === 0 && page.updated && html`<p>The page is empty.</p>`}
            <dl>
                ${filled.map(([name, label]) => html`
                    <div key=${name} class="policy-field">
                        <dt>${label}</dt>
                        <dd>${page.fields[name]}</dd>
                        <dd><button type="button" aria-label=${`Insert ${label}`}
                            onClick=${() => insert(page.fields[name])}>Insert</button></dd>
                    </div>`)}
            </dl>
        </div>`;
}
