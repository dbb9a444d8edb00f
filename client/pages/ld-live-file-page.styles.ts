import { css } from 'lit';

export const deskPageStyles = css`
  :host { display: block; max-width: 920px; margin: 0 auto; padding: 0 var(--s4) var(--s7); }
  header { position: sticky; top: 0; z-index: 2; background: var(--bg); display: flex; align-items: center; gap: var(--s3);
    padding: var(--s2) 0; border-bottom: 1px solid var(--border); flex-wrap: wrap; }
  .title { flex: 1 1 200px; min-width: 0; }
  h1 { font-size: 20px; line-height: 1.25; margin: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .zone { font-size: 12px; color: var(--text-muted); }
  .back { padding: 0; }
  .help { font-weight: 700; padding: 0; }
  .settings { padding: 0; }
  .toolbar { display: flex; gap: var(--s3); align-items: center; flex-wrap: wrap; margin: var(--s3) 0; }
  .filters { display: inline-flex; gap: 2px; }
  .filters button { font-size: 14px; }
  .search { position: relative; display: inline-flex; align-items: center; flex: 1 1 12rem; max-width: 20rem; margin-inline-start: auto; }
  .search input { width: 100%; font: inherit; font-size: 16px; padding: 6px 2rem 6px 10px;
    border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--text); min-height: var(--target); }
  .search kbd { position: absolute; inset-inline-end: 8px; pointer-events: none; }
  .search input:focus + kbd, .search input:not(:placeholder-shown) + kbd { display: none; }
  ol.entries { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: minmax(0, 1fr); gap: var(--s2); }
  ol.entries > li { min-width: 0; }
  ol.entries > li { position: relative; }
  li.band { font-size: 12px; font-weight: 700; color: var(--text-muted); text-transform: uppercase; letter-spacing: 0.04em; }
  li.drop-before::before, li.drop-after::after { content: ''; position: absolute; inset-inline: 0; height: 3px;
    background: var(--accent); border-radius: 2px; pointer-events: none; }
  li.drop-before::before { top: -6px; }
  li.drop-after::after { bottom: -6px; }
  .empty { color: var(--text-muted); padding: var(--s6) 0; text-align: center; font-size: 16px; }
  .status { color: var(--text-muted); padding: var(--s5) 0; }
  .notice { background: var(--warn-bg); color: var(--warn); padding: var(--s2) var(--s3); border-radius: var(--r1); }
  .error { color: var(--live); background: var(--danger-bg); padding: var(--s2) var(--s3); border-radius: var(--r1); }
  .banner { flex-basis: 100%; order: 10; display: flex; gap: var(--s2); align-items: center; flex-wrap: wrap; padding: var(--s2) var(--s3);
    background: var(--warn-bg); color: var(--warn); border-radius: var(--r1); font-size: 14px; }
  .banner > span { flex: 1 1 240px; }
  .banner.ended { background: var(--danger-bg); color: var(--text); border: 1px solid var(--live); }
  .banner.ended > .icon { color: var(--live); }
  .banner .copied { flex-basis: 100%; font-size: 12px; }
  .banner details { flex-basis: 100%; font-size: 12px; }
  .banner summary { cursor: pointer; width: max-content; }
  .copy-fallback { flex-basis: 100%; display: grid; gap: var(--s1); font-size: 12px; }
  .copy-fallback textarea { font: 14px/1.4 var(--font); width: 100%; box-sizing: border-box; color: var(--text); background: var(--bg);
    border: 1px solid var(--border); border-radius: var(--r1); padding: var(--s2); }
  section.help { margin: var(--s3) 0; padding: var(--s3); background: var(--surface); border-radius: var(--r2); }
  section.help dl { display: grid; grid-template-columns: max-content 1fr; gap: var(--s1) var(--s3); margin: 0; font-size: 14px; }
  section.help dd { margin: 0; }
  @media (max-width: 600px) {
    :host { padding: 0 var(--s2) var(--s7); }
    /* One row: back, title, facepile, connection, help. */
    header { gap: var(--s1) var(--s2); padding: var(--s1) 0; }
    .title { flex: 1 1 0; min-width: 6em; }
    /* The whole title, on two lines if it needs them (an ellipsis hid it behind a hover-only tooltip). */
    h1 { font-size: 16px; white-space: normal; overflow: visible; overflow-wrap: anywhere; }
    .zone { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .zone-id { display: none; }
    /* Search takes a row of its own, full width, where a thumb finds it. */
    .search { flex-basis: 100%; max-width: none; margin-inline-start: 0; }
    ld-presence { flex: none; }
    ld-connection-status { flex: none; }
    .banner { font-size: 13px; padding: var(--s2); }
    /* The text beside its icon (a row of its own left the icon alone above it); buttons wrap below. */
    .banner > span { flex: 1 1 calc(100% - 20px - var(--s2)); min-width: 0; }
    .banner summary { padding-block: 12px; } /* a 44 px target, the disclosure triangle kept */
  }
`;
