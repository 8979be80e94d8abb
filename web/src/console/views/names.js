// How the Transcripts and Tickets sections name libraries and times.

/** The libraries the librarian's co-ops list (own first), domain -> name. */
export function libraries(desk) {
    const known = new Map([[desk.config.domain, desk.config.libraryName]]);
    for (const coop of desk.info?.coops || []) {
        for (const member of coop.members) {
            if (!known.has(member.domain)) known.set(member.domain, member.name || member.domain);
        }
    }
    return known;
}

/** A date and time as the librarian's browser writes them. */
export function when(at) {
    return at ? new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })
        : '';
}

