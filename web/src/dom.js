// A tiny element builder: the widget is plain DOM, no framework.

export function h(tag, attrs = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
        else if (value === true) element.setAttribute(name, '');
        else if (value !== false && value != null) element.setAttribute(name, value);
    }
    element.append(...children.flat().filter((c) => c != null));
    return element;
}

let fieldCount = 0;

/** A labelled input or textarea; `hint` is read out with it. */
export function field(label, name, { multiline = false, type = 'text', required = false,
    autocomplete = 'off', hint = null, maxlength = null } = {}) {
    const id = `refdesk-${name}-${++fieldCount}`;
    const control = h(multiline ? 'textarea' : 'input', {
        id, name, required, autocomplete, maxlength, rows: multiline ? 3 : null,
        type: multiline ? null : type,
        'aria-describedby': hint ? `${id}-hint` : null,
    });
    return h('div', { class: 'field' },
        h('label', { for: id }, label, required ? '' : h('span', { class: 'optional' }, ' (optional)')),
        hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
        control);
}

export function values(form) {
    return Object.fromEntries(Array.from(new FormData(form), ([k, v]) => [k, String(v).trim()]));
}
