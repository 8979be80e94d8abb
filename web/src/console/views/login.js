import { useState } from 'preact/hooks';
import { attempt, html } from './html.js';

export function Login({ desk }) {
    const [error, setError] = useState('');
    const busy = desk.status === 'connecting';
    const submit = (event) => {
        event.preventDefault();
        const form = new FormData(event.target);
        attempt(setError, () => desk.login(String(form.get('jid')), String(form.get('password'))));
    };
    return html`
        <main class="login">
            <h1>${desk.config.libraryName}: librarian console</h1>
            <form onSubmit=${submit} aria-describedby="login-help">
                <p id="login-help">Log in with your library chat account
                    (name@${desk.config.domain}).</p>
                <label for="jid">Address</label>
                <input id="jid" name="jid" type="text" inputmode="email" spellcheck="false" autocomplete="username" required
                    placeholder=${`name@${desk.config.domain}`} />
                <label for="password">Password</label>
                <input id="password" name="password" type="password" required
                    autocomplete="current-password" />
                <button type="submit" disabled=${busy}>${busy ? 'Logging in…' : 'Log in'}</button>
                ${error && html`<p class="error" role="alert">${error}</p>`}
            </form>
        </main>`;
}
