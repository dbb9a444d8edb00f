import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E, screenshot } from '../support/chromium.js';
import { useDeskSuite } from '../support/e2eSuite.js';
import { card, deskOrder, expandEntry, isEditorFocused, UI_TIMEOUT } from '../support/e2eDesk.js';

/**
 * ux.md rule 4 "one thumb on the phone" and §3 "targets ≥ 44 px, nothing hover-only", on the desk
 * at 390×844 with touch: cards stay compact, no keyboard hints, nothing cut off, every target a
 * thumb's size, and a card pinned from the phone stays where the thumb is.
 */
describeE2E('the desk on a touch phone (Chromium, 390×844)', () => {
  const suite = useDeskSuite();
  const openPhoneDesk = () => suite.openDemoDesk({ phone: true });

  /** Cards on the first screen: the sum of each card's visible share of the viewport, and those wholly in it. */
  async function cardsOnFirstScreen(page: Page): Promise<{ visible: number; whole: number }> {
    return page.evaluate(() => {
      scrollTo(0, 0);
      const root = document.querySelector('ld-app')?.shadowRoot?.querySelector('ld-live-file-page')?.shadowRoot;
      let visible = 0;
      let whole = 0;
      for (const c of root?.querySelectorAll('ld-entry-card') ?? []) {
        const r = c.getBoundingClientRect();
        const seen = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
        visible += r.height ? seen / r.height : 0;
        if (r.top >= 0 && r.bottom <= innerHeight) whole += 1;
      }
      return { visible: Math.round(visible * 100) / 100, whole };
    });
  }

  /** Every element a finger can press, anywhere on the page (shadow roots included), with its box. */
  async function targets(page: Page): Promise<Array<{ what: string; width: number; height: number }>> {
    return page.evaluate(() => {
      const out: Array<{ what: string; width: number; height: number }> = [];
      const selector = 'button, a[href], input, select, textarea, summary, [role="button"], [role="switch"], [role="link"], [tabindex]:not([tabindex="-1"])';
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          if (!el.matches(selector) || (el as HTMLElement).isContentEditable) continue;
          const r = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
          const label = el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? (el.textContent ?? '').trim().slice(0, 30);
          out.push({ what: `${el.tagName.toLowerCase()} "${label}"`, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 });
        }
      };
      walk(document);
      return out;
    });
  }

  /** Visible text, accessible names and tooltips of the whole page (shadow roots included). */
  async function wordsOnPage(page: Page): Promise<{ text: string; labels: string[]; kbds: number }> {
    return page.evaluate(() => {
      const labels: string[] = [];
      let kbds = 0;
      const texts: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.shadowRoot) walk(el.shadowRoot);
          for (const a of ['aria-label', 'title', 'placeholder']) {
            const v = el.getAttribute(a);
            if (v) labels.push(v);
          }
          if (el.tagName === 'KBD' && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden') kbds += 1;
          if (el.shadowRoot) texts.push((el.shadowRoot as unknown as { textContent: string }).textContent ?? '');
        }
      };
      walk(document);
      return { text: `${document.body.innerText}\n${texts.join('\n')}`, labels, kbds };
    });
  }

  it('[PH1] a card\'s actions share its first row: more cards fit on the first screen', async () => {
    const page = await openPhoneDesk();
    const ids = await deskOrder(page);
    for (const id of ids.slice(0, 4)) {
      const rows = await card(page, id).evaluate((c) => {
        const root = c.shadowRoot!;
        const time = root.querySelector('time')!.getBoundingClientRect();
        const edit = root.querySelector('[data-testid="entry-edit"]')!.getBoundingClientRect();
        return { timeMid: (time.top + time.bottom) / 2, editTop: edit.top, editBottom: edit.bottom };
      });
      expect(rows.editTop, `card ${id}: the pencil sits beside the time, not on a row of its own`).toBeLessThanOrEqual(rows.timeMid);
      expect(rows.editBottom).toBeGreaterThanOrEqual(rows.timeMid);
    }
    const fit = await cardsOnFirstScreen(page);
    console.log(`[PH1] cards on the first 390×844 screen: ${fit.visible} (${fit.whole} whole)`);
    expect(fit.visible).toBeGreaterThanOrEqual(3.5);
    await screenshot(page, 'phone-desk-390', { fullPage: false });

    // The other actions are one tap away, in the card's own row of labelled buttons.
    const c = card(page, ids[1]!);
    await c.getByTestId('entry-more').tap();
    await expect.poll(() => c.getByTestId('entry-pin').isVisible(), { timeout: UI_TIMEOUT }).toBe(true);
    expect(await c.getByTestId('entry-more').getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'phone-desk-390-more', { fullPage: false });
  });

  it('[PH2] no desktop key hints on a touch screen: no key caps, no "(P)" or "Alt+↑" in names and tooltips', async () => {
    const page = await openPhoneDesk();
    const first = (await deskOrder(page))[1]!;
    await card(page, first).getByTestId('entry-more').tap();
    await expandEntry(page, first);
    const { text, labels, kbds } = await wordsOnPage(page);
    expect(kbds, 'visible <kbd> key caps').toBe(0);
    const hint = /\((?:[A-Z?/]|Enter|Esc|Alt\+.*|Ctrl\+.*)\)|Alt\+[↑↓]|Press N/;
    expect(labels.filter((l) => hint.test(l)), 'names and tooltips with key hints').toEqual([]);
    expect(text.split('\n').filter((l) => hint.test(l)), 'visible text with key hints').toEqual([]);
  });

  it('[PH3] the account\'s name and role, the live file\'s title and every byline are shown whole', async () => {
    const page = await openPhoneDesk();
    const cut = await page.evaluate(() => {
      const out: string[] = [];
      const check = (el: Element | null | undefined, what: string) => {
        if (!el) return void out.push(`${what}: missing`);
        const h = el as HTMLElement;
        if (h.scrollWidth > h.clientWidth + 1 || h.scrollHeight > h.clientHeight + 1) out.push(`${what} "${h.textContent?.trim()}" (${h.scrollWidth}×${h.scrollHeight} in ${h.clientWidth}×${h.clientHeight})`);
      };
      const app = document.querySelector('ld-app')!.shadowRoot!;
      check(app.querySelector('.who'), 'account');
      const desk = app.querySelector('ld-live-file-page')!.shadowRoot!;
      check(desk.querySelector('h1'), 'title');
      for (const c of desk.querySelectorAll('ld-entry-card')) {
        check(c.shadowRoot!.querySelector('.byline'), 'byline');
        check(c.shadowRoot!.querySelector('.authors'), 'authors');
      }
      return { out, who: app.querySelector('.who')?.textContent?.replace(/\s+/g, ' ').trim() };
    });
    expect(cut.out, 'cut off').toEqual([]);
    expect(cut.who).toMatch(/Arman Nurlanov.*editor/);
  });

  it('[PH4] every target is at least 44×44 px: the desk, a card\'s actions and an open editor', async () => {
    const page = await openPhoneDesk();
    const id = (await deskOrder(page))[1]!;
    await card(page, id).getByTestId('entry-more').tap();
    // The pencil, tapped, opens the editor with the caret in the text.
    await card(page, id).getByTestId('entry-edit').tap();
    await expect.poll(() => isEditorFocused(page, id), { timeout: UI_TIMEOUT }).toBe(true);
    const all = await targets(page);
    expect(all.length).toBeGreaterThan(30);
    const small = all.filter((t) => t.width < 44 || t.height < 44);
    expect(small.map((t) => `${t.what} ${t.width}×${t.height}`), 'targets under 44×44 px').toEqual([]);
  });

  it('[PH5] pinning a card from far down the desk keeps it on screen and focused, at the top', async () => {
    const page = await openPhoneDesk();
    const ids = await deskOrder(page);
    const id = ids[7]!;
    await card(page, id).scrollIntoViewIfNeeded();
    await card(page, id).getByTestId('entry-more').tap();
    await card(page, id).getByTestId('entry-pin').tap();
    await expect.poll(() => card(page, id).getAttribute('pinned'), { timeout: UI_TIMEOUT }).not.toBeNull();
    const where = async () => card(page, id).evaluate((c) => {
      const r = c.getBoundingClientRect();
      const root = c.getRootNode() as ShadowRoot;
      const header = root.querySelector('header')!.getBoundingClientRect();
      return { onScreen: r.top >= header.bottom - 1 && r.top < innerHeight - 44, focused: root.activeElement === c };
    });
    await expect.poll(where, { timeout: UI_TIMEOUT }).toEqual({ onScreen: true, focused: true });
    expect((await deskOrder(page)).indexOf(id), 'it moved up to the pinned band').toBeLessThan(ids.indexOf(id));
    await screenshot(page, 'phone-desk-390-pinned', { fullPage: false });
  });
});
