// The panel's screens, one function each: they build DOM and call back the controller.
import { field, h, values } from './dom.js';

const MAX_LINE_CHARS = 4000; // what the queue relays

function form(label, onsubmit, ...children) {
    return h('form', { 'aria-label': label, novalidate: false, onsubmit: (event) => {
        event.preventDefault();
        onsubmit(values(event.target), event.target);
    } }, ...children);
}

export function connecting() {
    return h('p', { class: 'status', role: 'status' }, 'Connecting to the library…');
}

export function problem(message, retry) {
    return [h('p', { role: 'alert' }, message),
        h('button', { type: 'button', onclick: retry }, 'Try again')];
}

/** The question, and under it whatever `suggest(textarea)` offers as it is typed. */
function question(suggest) {
    const element = field('Your question', 'question', { multiline: true, required: true });
    return suggest ? [element, ...suggest(element.querySelector('textarea'))] : element;
}

export function preChat(start, suggest = null) {
    return form('Ask a question', start,
        h('p', {}, 'A librarian will answer you here.'),
        question(suggest),
        field('Your name', 'name', { autocomplete: 'name' }),
        field('Your email', 'email', { type: 'email', autocomplete: 'email',
            hint: 'Only used to send you the answer if the chat is cut off.' }),
        h('button', { type: 'submit' }, 'Start chat'));
}

export function offline(leave, suggest = null) {
    return form('Leave a question', leave,
        h('p', {}, 'No librarian is online right now. Leave your question and the '
            + 'library will answer by email.'),
        question(suggest),
        field('Your name', 'name', { autocomplete: 'name' }),
        field('Your email', 'email', { type: 'email', autocomplete: 'email', required: true }),
        h('button', { type: 'submit' }, 'Send question'));
}

export function left() {
    return h('p', { role: 'status' },
        'Thank you. Your question was sent to the library; watch your email for the answer.');
}

export function waiting(cancel) {
    return [h('p', { class: 'status', role: 'status', 'data-queue': true },
        'Waiting for a librarian…'),
    h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel')];
}

/** Place and wait, the wait counted down from the queue's latest estimate. */
export function queueText({ position, seconds }, elapsedS = 0) {
    return `You are number ${position} in the queue. ${waitText(seconds - elapsedS)}`;
}

function waitText(seconds) {
    if (seconds <= 0) return 'It is taking longer than expected; please stay with us.';
    if (seconds < 60) return 'Estimated wait: less than a minute.';
    const minutes = Math.round(seconds / 60);
    return `Estimated wait: about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

export function conversation({ send, typing, end }) {
    const message = field('Your message', 'message', { multiline: true, required: true,
        maxlength: MAX_LINE_CHARS });
    const textarea = message.querySelector('textarea');
    textarea.addEventListener('input', () => typing(textarea.value !== ''));
    // Enter sends, Shift+Enter starts a new line, as in every chat program.
    textarea.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && !event.shiftKey) {
            event.preventDefault();
            event.target.form.requestSubmit();
        }
    });
    return [
        h('p', { class: 'meta', role: 'status', 'data-status': true }),
        h('div', { class: 'log', role: 'log', 'aria-label': 'Conversation', tabindex: '0' }),
        h('p', { class: 'meta', 'aria-live': 'polite', 'data-typing': true }),
        form('Send a message', (fields, element) => {
            if (fields.message) send(fields.message);
            element.reset();
            typing(false);
        }, message, h('div', { class: 'row' },
            h('button', { type: 'submit' }, 'Send'),
            h('button', { type: 'button', class: 'secondary', onclick: end }, 'End chat'))),
    ];
}

/** One line of the log, in the look of whoever said it; `showWho` names a librarian. */
export function line({ kind, who, body }, { showWho = false } = {}) {
    if (kind === 'system') return h('p', { class: 'system' }, body);
    const label = kind === 'theirs' && showWho
        ? h('span', { class: 'who' }, who, h('span', { class: 'visually-hidden' }, ': '))
        : h('span', { class: 'visually-hidden' }, `${who}: `);
    return h('p', { class: kind, 'data-who': who }, label, h('span', { class: 'text' }, body));
}

/** Where a patron's line stands: only the queue's receipt makes it delivered. */
export function lineState(state, { reason = '', retry = null } = {}) {
    if (state === 'delivered') return h('span', { class: 'state delivered' }, '✓ delivered');
    if (state === 'retrying') {
        return h('span', { class: 'state' }, 'Not delivered yet, trying again…');
    }
    if (state === 'failed') {
        return h('span', { class: 'state failed' }, reason ? `Not sent: ${reason}` : 'Not sent.',
            h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Retry'));
    }
    return h('span', { class: 'state' }, 'Sending…');
}

/** "Email me this transcript": the address prefilled with the one given before the chat;
 *  `send` resolves, or rejects with the reason to show. */
export function emailTranscript(send, email = '') {
    const address = field('Your email', 'to', { type: 'email', autocomplete: 'email',
        required: true });
    address.querySelector('input').value = email;
    const status = h('p', { class: 'meta', role: 'status', 'aria-live': 'polite' });
    const button = h('button', { type: 'submit', class: 'secondary' }, 'Email transcript');
    return h('div', { class: 'email-transcript' },
        form('Email me this transcript', async ({ to }) => {
            button.disabled = true;
            status.textContent = 'Sending…';
            try {
                await send(to);
                status.textContent = `The transcript was sent to ${to}.`;
            } catch (error) {
                status.textContent = `Not sent: ${error.message}`;
                button.disabled = false;
            }
        }, h('p', {}, 'Email me this transcript'), address, button),
        status);
}

export function rating(rate, emailForm, transcript) {
    const scores = [1, 2, 3, 4, 5].map((score) => h('label', {},
        h('input', { type: 'radio', name: 'score', value: String(score), required: true }),
        String(score)));
    return [
        h('p', { role: 'status' }, 'The chat has ended.'),
        form('Rate this chat', rate,
            h('fieldset', {}, h('legend', {}, 'How helpful was this chat? (5 is best)'),
                ...scores),
            field('Comment', 'comment', { multiline: true }),
            h('button', { type: 'submit' }, 'Send rating')),
        emailForm,
        transcript,
    ];
}

export function thanks(emailForm, transcript) {
    return [h('p', { role: 'status' }, 'Thank you for your rating.'), emailForm, transcript];
}

export function transcriptLink(text) {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    return h('a', { href: url, download: 'chat-transcript.txt' }, 'Download a copy of this chat');
}
