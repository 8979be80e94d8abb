// One newest-first list of transcripts out of several archives, each paged on its own (RSM).
// A row is shown only once no archive that may still hold a newer one has been left unread
// below it: so "More" never slots a row in above what the librarian has already seen.
import { addFilter, ARCHIVE, ask, page, readListing } from './archive.js';

export const PAGE = 20;

export class Gathering {
    /** `archives`: the trusted archive JIDs; `search`: the filter's fields. */
    constructor(desk, archives, search) {
        this.desk = desk;
        this.search = search;
        // Per archive: the rows read, the RSM cursor, whether it has no more; failed: unread.
        this.sources = archives.map((jid) => ({ jid, rows: [], last: '', done: false }));
        this.failed = [];
    }

    /** Reads the first page of every archive at once. */
    async start() {
        await Promise.all(this.sources.map((source) => this.read(source)));
    }

    /** Reads the next page of the archives that hold the list back. */
    async more() {
        const frontier = this.frontier();
        const behind = this.sources.filter((source) => !source.done
            && oldest(source) === frontier);
        await Promise.all(behind.map((source) => this.read(source)));
    }

    async read(source) {
        try {
            const listing = readListing(await ask(this.desk, source.jid, 'get', 'transcripts',
                (iq) => {
                    iq.c('transcripts', { xmlns: ARCHIVE });
                    addFilter(iq, this.search);
                    page(iq, PAGE, source.last);
                }));
            // An archive speaks only for its own library's chats.
            const domain = source.jid.replace(/^archive\./, '');
            source.rows.push(...listing.summaries.filter((row) => row.library === domain));
            source.last = listing.last || source.last;
            source.done = listing.summaries.length < PAGE || !listing.last;
        } catch (error) {
            // An archive that does not answer (or refuses) is named, and the others still show.
            console.info('refdesk console: no transcripts from %s: %s', source.jid,
                error.message);
            source.done = true;
            this.failed.push(source.jid);
        }
    }

    /** The oldest time every archive still paging has reached: rows from then on are sure. */
    frontier() {
        const open = this.sources.filter((source) => !source.done).map(oldest);
        return open.length ? open.reduce((a, b) => (Date.parse(a) > Date.parse(b) ? a : b)) : '';
    }

    /** The rows in order, newest first, as far as they are sure. */
    rows() {
        const frontier = this.frontier();
        return this.sources.flatMap((source) => source.rows)
            .filter((row) => !frontier || Date.parse(row.requested) >= Date.parse(frontier))
            .sort((a, b) => Date.parse(b.requested) - Date.parse(a.requested));
    }

    hasMore() {
        return this.sources.some((source) => !source.done);
    }
}

function oldest(source) {
    const last = source.rows[source.rows.length - 1];
    return last ? last.requested : '';
}
