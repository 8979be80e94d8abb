// Whom the console believes. Anyone on the network (a patron on a guest host included) can
// send any stanza to a librarian's address, so: only the queues of the librarian's library
// and of its co-ops' member libraries speak for patron chats; only `chat-…@` JIDs at those
// queues are patron chats; only the archives of those same libraries answer for transcripts
// and tickets, and only the registries (coop.<host>) of those co-ops for their Quality team;
// and only addresses at those libraries and the co-ops' hosts are colleagues to chat with one
// to one. The faq components (FAQs, policy pages, scripts) are trusted as the archives are;
// of the stats components, only the librarian's own library's (reports on its patrons' chats).
import { Strophe } from 'strophe.js';

const CHAT_JID = /^chat-[^@/\s]+@([^@/\s]+)$/;

export class Trust {
    constructor() {
        this.queueJids = new Set();
        this.archiveJids = new Set();
        this.faqJids = new Set();
        this.registryJids = new Set();
        this.statsJid = '';
        this.domains = new Set();
    }

    /** What the library's own queue said in its desk: the libraries that count. */
    learn(ownDomain, coops) {
        const libraries = new Set([ownDomain]);
        for (const coop of coops) {
            for (const member of coop.members) libraries.add(member.domain);
        }
        this.queueJids = new Set([...libraries].map((domain) => `queue.${domain}`));
        // A co-op's coordinating host that is no member library has no patrons, no archive.
        const members = new Set(coops.flatMap((coop) => coop.members.map((m) => m.domain)));
        const hostOnly = coops.some((coop) => coop.host === ownDomain) && !members.has(ownDomain);
        this.archiveJids = new Set([...libraries].filter((domain) => !hostOnly
            || domain !== ownDomain).map((domain) => `archive.${domain}`));
        this.faqJids = new Set([...this.archiveJids].map((jid) => jid.replace(/^archive\./,
            'faq.')));
        this.registryJids = new Set(coops.map((coop) => `coop.${coop.host}`));
        this.statsJid = hostOnly ? '' : `stats.${ownDomain}`;
        this.domains = new Set([...libraries, ...coops.map((coop) => coop.host)]);
    }

    queues() {
        return [...this.queueJids];
    }

    /** A queue the console follows (`jid` as a stanza's from: no local part, no resource). */
    isQueue(jid) {
        return this.queueJids.has(jid);
    }

    /** The archives whose transcripts the console gathers: the own library's first. */
    archives() {
        return [...this.archiveJids];
    }

    /** An archive the console asks (`jid` as a stanza's from). */
    isArchive(jid) {
        return this.archiveJids.has(jid);
    }

    /** The archive of a library followed here, or null: a transcript is asked only there. */
    archiveOf(domain) {
        const jid = `archive.${domain}`;
        return this.isArchive(jid) ? jid : null;
    }

    /** A library's faq component the console asks (`jid` as a stanza's from). */
    isFaq(jid) {
        return this.faqJids.has(jid);
    }

    /** The faq component of a library followed here, or null: FAQs, policy pages and scripts
     *  are asked only there. */
    faqOf(domain) {
        const jid = `faq.${domain}`;
        return this.isFaq(jid) ? jid : null;
    }

    /** The own library's stats component, or null at a co-op's host with no patrons. */
    ownStats() {
        return this.statsJid || null;
    }

    /** The own library's stats component (`jid` as a stanza's from). */
    isStats(jid) {
        return Boolean(this.statsJid) && jid === this.statsJid;
    }

    /** The registry of a followed co-op (where its Quality team is), or null. */
    registryOf(coop) {
        const jid = coop?.host ? `coop.${coop.host}` : '';
        return this.registryJids.has(jid) ? jid : null;
    }

    /** A registry of a followed co-op (`jid` as a stanza's from). */
    isRegistry(jid) {
        return this.registryJids.has(jid);
    }

    /** A patron chat at one of those queues (optionally: at that very queue). */
    isChat(jid, queue = null) {
        const match = CHAT_JID.exec(jid || '');
        return Boolean(match) && this.isQueue(match[1]) && (queue === null || match[1] === queue);
    }

    /** A librarian of one of those libraries, or of a co-op's host. */
    isColleague(jid) {
        const bare = Strophe.getBareJidFromJid(jid || '');
        return bare.includes('@') && this.domains.has(Strophe.getDomainFromJid(bare));
    }
}
