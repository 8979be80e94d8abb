// The console's sections, in the navigation's order. Each is a module exporting one object
// {id, title, label(desk), view}, and shown(desk) if not everyone has it; a later section
// (Transcripts, Tickets, FAQ and scripts, Reports) is one more module and one more line here.
import activity from './views/activity.js';
import blockedPatrons from './views/blocked-patrons.js';
import contribution from './views/contribution.js';
import dashboard from './views/coop-dashboard.js';
import faqs from './views/faqs.js';
import internalChat from './views/internal-chat.js';
import patronChats from './views/patron-chats.js';
import policy from './views/policy.js';
import quality from './views/quality.js';
import reports from './views/reports.js';
import schedule from './views/schedule.js';
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
    reports,
    dashboard,
    activity,
    contribution,
    schedule,
];
