// The transcripts listed (or a report's rows), saved as CSV or JSON in the browser: nothing
// more is asked of any archive, so an export holds exactly what the librarian was shown.
const COLUMNS = ['library', 'id', 'requested', 'ended', 'widget', 'widget-name', 'patron',
    'librarian', 'nick', 'institution', 'coops', 'rating', 'feedback', 'question'];

export function cell(value) {
    const textual = String(value ?? '');
    // A leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection).
    const safe = /^[=+\-@\t\r]/.test(textual) ? `'${textual}` : textual;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows, columns = COLUMNS) {
    const lines = [columns.map(cell).join(','),
        ...rows.map((row) => columns.map((name) => cell(row[name])).join(','))];
    return `${lines.join('\r\n')}\r\n`;
}

export function toJson(rows) {
    return JSON.stringify(rows.map((row) => Object.fromEntries(
        COLUMNS.map((name) => [name, row[name] ?? '']))), null, 2);
}

/** Offers `content` to the browser as a file named `name`. */
export function download(name, type, content) {
    const url = URL.createObjectURL(new Blob([content], { type }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
}
