/**
 * The embed's look, inside its shadow root: every colour, the font and the spacing come from
 * custom properties the host page may set on the element (or any ancestor), with ::part()s for
 * anything beyond them. Grows with its content: no height, no inner scroll.
 */
export const EMBED_CSS = `
:host { display: block; font-family: var(--livedesk-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--livedesk-font-size, 16px); line-height: 1.45; color: var(--livedesk-text, #1a1a1a);
  background: var(--livedesk-bg, #ffffff); border: 1px solid var(--livedesk-border, #d9d9d9);
  border-radius: var(--livedesk-radius, 8px); padding: var(--livedesk-padding, 12px 16px); box-sizing: border-box; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
header { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; margin: 0 0 8px; }
.title { font-weight: 700; font-size: 1.05em; color: inherit; text-decoration: none; overflow-wrap: anywhere; }
.title:hover { text-decoration: underline; }
.status { font-size: 0.75em; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; color: var(--livedesk-accent, #c8102e); }
.status.ended { color: var(--livedesk-muted, #666); }
ol { list-style: none; margin: 0; padding: 0; }
li { padding: var(--livedesk-gap, 12px) 0; border-top: 1px solid var(--livedesk-border, #d9d9d9); }
li:first-child { border-top: 0; }
li.key { border-left: 3px solid var(--livedesk-accent, #c8102e); padding-left: 10px; }
.meta { display: flex; gap: 8px; flex-wrap: wrap; align-items: baseline; font-size: 0.8em; color: var(--livedesk-muted, #666); }
.permalink { color: inherit; text-decoration: none; }
.permalink:hover { text-decoration: underline; }
.badge { font-weight: 700; color: var(--livedesk-accent, #c8102e); }
h3 { font-size: 1em; margin: 2px 0 4px; overflow-wrap: anywhere; }
.body { overflow-wrap: anywhere; }
.body p { margin: 0 0 0.5em; }
.body img, .body picture, .body video, .body iframe { max-width: 100%; height: auto; }
.body a, footer a { color: var(--livedesk-accent, #c8102e); }
.retraction { font-style: italic; color: var(--livedesk-muted, #666); margin: 0; }
footer { margin-top: 8px; font-size: 0.8em; color: var(--livedesk-muted, #666); }
.empty, .error { color: var(--livedesk-muted, #666); margin: 0; }
`;
