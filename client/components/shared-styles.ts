import { css } from 'lit';

/** Buttons, focus rings and icons shared by the desk's shadow roots. Tokens come from :root. */
export const controlStyles = css`
  :host { font-family: var(--font); color: var(--text); }
  /* global.css sets this for the document; shadow roots need their own (inputs at width 100% overflowed). */
  *, *::before, *::after { box-sizing: border-box; }
  .icon { width: 20px; height: 20px; flex: none; vertical-align: middle; }
  :host(:dir(rtl)) .icon.mirror { transform: scaleX(-1); }
  button, .btn {
    font: inherit; font-size: 14px; color: var(--text); background: var(--bg);
    border: 1px solid var(--border); border-radius: var(--r1); min-height: var(--target); min-width: var(--target);
    padding: 0 var(--s3); display: inline-flex; align-items: center; justify-content: center; gap: var(--s1);
    cursor: pointer; text-decoration: none; white-space: nowrap;
  }
  button:hover, .btn:hover { background: var(--surface); }
  button.primary, .btn.primary { background: var(--accent); border-color: var(--accent); color: var(--bg); font-weight: 600; }
  button.ghost { border-color: transparent; background: transparent; }
  button.ghost:hover { border-color: var(--border); }
  button.primary kbd, .btn.primary kbd { color: inherit; border-color: currentColor; opacity: 0.85; }
  button[disabled] { opacity: 0.55; cursor: not-allowed; }
  button[aria-pressed='true'] { background: var(--surface); border-color: var(--accent); color: var(--accent); }
  :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
  kbd { font: 12px/1 var(--font); border: 1px solid var(--border); border-radius: 3px; padding: 1px 4px; color: var(--text-muted); }
  input, select { font: inherit; font-size: 16px; color: var(--text); background: var(--bg); border: 1px solid var(--border);
    border-radius: var(--r1); min-height: var(--target); padding: 0 var(--s2); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;
