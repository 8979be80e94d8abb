// The scripts tab beside a chat (knowledge/panel.js): filled in by its own module.
import { html } from '../views/html.js';

export function ScriptsTab({ desk, talk, faq, insert }) {
    return html`<p>scripts of ${faq}</p>`;
}
