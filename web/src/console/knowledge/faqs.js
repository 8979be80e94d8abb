// The FAQs tab beside a chat (knowledge/panel.js): filled in by its own module.
import { html } from '../views/html.js';

export function FaqTab({ desk, talk, faq, insert }) {
    return html`<p>FAQs of ${faq}</p>`;
}
