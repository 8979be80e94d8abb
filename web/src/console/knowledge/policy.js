// The policy page tab beside a chat (knowledge/panel.js): filled in by its own module.
import { html } from '../views/html.js';

export function PolicyTab({ desk, talk, faq, insert }) {
    return html`<p>the policy page of ${faq}</p>`;
}
