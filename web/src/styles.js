// The widget's look. Everything themable is a CSS custom property with an accessible default
// (contrast at least 4.5:1); a library sets them on the page, e.g.
//   [data-refdesk-widget="alpha-main"] { --refdesk-accent: #7a1f1f; }
export const STYLES = `
:host {
  --accent: var(--refdesk-accent, #1d4e89);
  --accent-text: var(--refdesk-accent-text, #ffffff);
  --bg: var(--refdesk-background, #ffffff);
  --text: var(--refdesk-text, #1b1b1b);
  --muted: var(--refdesk-muted, #4a4a4a);
  --mine: var(--refdesk-mine, #e8eef7);
  --radius: var(--refdesk-radius, 0.5rem);
  font: 1rem/1.4 var(--refdesk-font, system-ui, sans-serif);
  color: var(--text);
}
* { box-sizing: border-box; }
button, input, textarea { font: inherit; }
button {
  min-height: 2.75rem; padding: 0.5rem 1rem; border-radius: var(--radius); cursor: pointer;
  border: 2px solid var(--accent); background: var(--accent); color: var(--accent-text);
}
button.secondary { background: var(--bg); color: var(--accent); }
:focus-visible { outline: 3px solid #d35400; outline-offset: 2px; }
.launcher { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000;
  box-shadow: 0 2px 8px rgb(0 0 0 / 30%); }
.panel {
  position: fixed; right: 1rem; bottom: 4.5rem; z-index: 2147483000;
  width: min(24rem, calc(100vw - 2rem)); max-height: calc(100vh - 6rem);
  display: flex; flex-direction: column; background: var(--bg);
  border: 1px solid var(--muted); border-radius: var(--radius);
  box-shadow: 0 4px 16px rgb(0 0 0 / 30%);
}
.panel[hidden] { display: none; }
header { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem;
  padding: 0.5rem 0.75rem; background: var(--accent); color: var(--accent-text);
  border-radius: var(--radius) var(--radius) 0 0; }
header h2 { font-size: 1.1rem; margin: 0; }
header button { min-height: 2.75rem; min-width: 2.75rem; padding: 0 0.5rem;
  border-color: var(--accent-text); }
.body { padding: 0.75rem; overflow-y: auto; display: flex; flex-direction: column;
  gap: 0.75rem; }
/* The connection notice takes no room until there is something to say. */
.connection { margin: 0; padding: 0 0.75rem; }
.connection:not(:empty) { padding-top: 0.75rem; }
.body > button { align-self: flex-start; }
.field { display: flex; flex-direction: column; gap: 0.25rem; }
.field input, .field textarea { padding: 0.5rem; border: 1px solid var(--muted);
  border-radius: var(--radius); color: var(--text); background: var(--bg); }
.optional, .hint, .meta { color: var(--muted); font-size: 0.9rem; margin: 0; }
.status { margin: 0; }
.log { margin: 0; padding: 0; display: flex; flex-direction: column;
  gap: 0.5rem; min-height: 8rem; max-height: 40vh; overflow-y: auto; }
.log p { margin: 0; padding: 0.4rem 0.6rem; border-radius: var(--radius); background: #f2f2f2;
  max-width: 85%; overflow-wrap: anywhere; }
.log p.mine { align-self: flex-end; background: var(--mine); }
.log p.system { align-self: center; background: none; color: var(--muted);
  font-size: 0.9rem; }
.log .who { display: block; font-weight: 600; font-size: 0.85rem; }
/* Where a patron's line stands: under the text, small, and never in the way of reading. */
.state { display: block; color: var(--muted); font-size: 0.8rem; text-align: right; }
.state.failed { color: var(--refdesk-error, #a11d1d); font-weight: 600; }
.state button { min-height: 2.75rem; margin-left: 0.5rem; padding: 0 0.75rem; }
/* Back in the queue mid-conversation: the status says so where the librarian's name was. */
[data-status].queueing { padding: 0.5rem; border-left: 4px solid var(--accent);
  background: var(--mine); color: var(--text); }
/* Suggested answers: set apart from the form, questions only until one is opened. */
.suggestions { border-left: 4px solid var(--accent); padding: 0.25rem 0 0.25rem 0.75rem;
  margin: 0.5rem 0 0.75rem; }
.suggestions h3 { font-size: 1rem; margin: 0; }
.suggestions ul { list-style: none; margin: 0.25rem 0; padding: 0; }
.suggestions summary { cursor: pointer; padding: 0.5rem 0; color: var(--accent);
  overflow-wrap: anywhere; }
.suggestions .answer { margin: 0 0 0.5rem; white-space: pre-line; overflow-wrap: anywhere; }
.row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
fieldset { border: 1px solid var(--muted); border-radius: var(--radius); }
fieldset label { display: inline-flex; align-items: center; gap: 0.25rem;
  margin-right: 0.75rem; min-height: 2.75rem; }
a { color: var(--accent); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 30rem) {
  .panel { inset: 0; width: 100vw; max-height: none; height: 100%; border-radius: 0; }
  header { border-radius: 0; }
  /* The open panel fills a phone's screen; its header button minimizes it. */
  .panel:not([hidden]) ~ .launcher { display: none; }
  /* The log takes the height the screen has left, the message box stays at the bottom. */
  .body { flex: 1; min-height: 0; }
  .log { max-height: none; flex: 1; }
}
`;
