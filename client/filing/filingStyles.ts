import { css } from 'lit';

/**
 * The filing page's shared look (ux.md §3 and §6): one column from 320 px, 44 px targets, 16 px
 * inputs (no zoom on iOS), nothing hover-only. Tokens come from client/styles/global.css.
 */
export const filingStyles = css`
  :host { --target: 44px; }
  button, .btn { min-height: 44px; min-width: 44px; font-size: 16px; border-radius: var(--r2); }
  button.primary, .btn.primary { font-weight: 700; }
  button.danger { background: var(--live); border-color: var(--live); color: var(--bg); font-weight: 700; }
  input, select, textarea { font: inherit; font-size: 16px; font-weight: 400; color: var(--text); background: var(--bg); border: 1px solid var(--border);
    border-radius: var(--r2); min-height: 44px; width: 100%; padding: var(--s2) var(--s3); }
  textarea { line-height: 1.5; resize: vertical; }
  input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; border-color: var(--accent); }
  label, legend { font-weight: 600; font-size: 16px; }
  .hint { margin: var(--s1) 0 0; font-size: 14px; color: var(--text-muted); }
  .error { color: var(--badge-rejected); background: var(--danger-bg); border-radius: var(--r1); padding: var(--s2) var(--s3); font-size: 14px; margin: var(--s1) 0 0; }
  .error-details { font-size: 13px; color: var(--text-muted); }
  .error-details summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; }
  .visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  time { font-variant-numeric: tabular-nums; }
`;
