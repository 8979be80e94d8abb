// The console's sections, in the navigation's order. Each is a module exporting one object
// {id, title, label(desk), view}, and shown(desk) if not everyone has it; a later section
// (Transcripts, Tickets, FAQ and scripts, Reports) is one more module and one more line here.
import blockedPatrons from './views/blocked-patrons.js';
import faqs from './views/faqs.js';
import internalChat from './views/internal-chat.js';
import patronChats from './views/patron-chats.js';
import policy from './views/policy.js';
import quality from './views/quality.js';
import scripts from './views/scripts.js';
import settings from './views/settings.js';
import tickets from './views/tickets.js';
import transcripts from './views/transcripts.js';

export const SECTIONS = [
    patronChats,
    internalChat,
    settings,
    blockedPatrons,
    transcripts,
    tickets,
    quality,
    faqs,
    policy,
    scripts,
];
