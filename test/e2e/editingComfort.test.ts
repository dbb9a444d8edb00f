import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeE2E } from '../support/chromium.js';
import { useDeskSuite } from '../support/e2eSuite.js';
import { card, deskOrder, isEditorFocused, UI_TIMEOUT } from '../support/e2eDesk.js';

/**
 * ux.md §1 "Enter edit" and rule 4 (keyboard first on the desk): opening an entry, by Enter on its
 * card or by its pencil, leaves the caret in its text where it can be seen, ready to type.
 */
describeE2E('opening an entry puts the caret in its text (Chromium)', () => {
  const suite = useDeskSuite();
  const openDesk = () => suite.openDemoDesk();

  /** Where the caret is: inside the entry's text, on screen (below the sticky header), and what has focus. */
  async function caretOf(page: Page, entryId: string) {
    return card(page, entryId).evaluate((c) => {
      type View = { state: { selection: { head: number; empty: boolean }; doc: { content: { size: number } } }; coordsAtPos(p: number): { top: number; bottom: number }; hasFocus(): boolean };
      const ed = c.shadowRoot?.querySelector('ld-entry-editor') as (HTMLElement & { editorView?: View }) | null;
      const view = ed?.editorView;
      let deep: Element | null = document.activeElement;
      while (deep?.shadowRoot?.activeElement) deep = deep.shadowRoot.activeElement;
      const header = c.getRootNode() instanceof ShadowRoot ? (c.getRootNode() as ShadowRoot).querySelector('header') : null;
      const headerBottom = header ? header.getBoundingClientRect().bottom : 0;
      if (!view) return { mounted: false, focused: false, onScreen: false, atEnd: false, focusedOn: deep?.getAttribute('data-testid') ?? deep?.tagName ?? null, headerBottom };
      const head = view.state.selection.head;
      const at = view.coordsAtPos(head);
      return {
        mounted: true,
        focused: view.hasFocus(),
        onScreen: at.top >= headerBottom - 1 && at.bottom <= innerHeight + 1,
        atEnd: view.state.selection.empty && head >= view.state.doc.content.size - 1,
        focusedOn: deep?.getAttribute('data-testid') ?? (deep as HTMLElement | null)?.isContentEditable ? 'editor-content' : deep?.tagName ?? null,
        headerBottom,
      };
    });
  }

  /** A card low on the screen: its text, once open, is below the bottom edge. */
  async function cardAtBottom(page: Page): Promise<string> {
    const ids = await deskOrder(page);
    const id = ids[6]!;
    await card(page, id).evaluate((c) => c.scrollIntoView({ block: 'end' }));
    return id;
  }

  it('[ED4] Enter on a focused card opens its editor with the caret at the end of its text, scrolled into view', async () => {
    const page = await openDesk();
    const id = await cardAtBottom(page);
    await card(page, id).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => isEditorFocused(page, id), { timeout: UI_TIMEOUT }).toBe(true);
    const c = await caretOf(page, id);
    expect(c, JSON.stringify(c)).toMatchObject({ mounted: true, focused: true, onScreen: true, atEnd: true, focusedOn: 'editor-content' });
    // Typing goes into the text at once.
    await page.keyboard.type(' Typed after Enter.');
    await expect.poll(() => card(page, id).getByTestId('editor-content').textContent(), { timeout: UI_TIMEOUT }).toMatch(/Typed after Enter\.$/);
  });

  it('[ED5] the pencil opens the editor with the caret in the text, not on "Close editor"', async () => {
    const page = await openDesk();
    const id = await cardAtBottom(page);
    await card(page, id).getByTestId('entry-edit').click();
    await expect.poll(() => isEditorFocused(page, id), { timeout: UI_TIMEOUT }).toBe(true);
    const c = await caretOf(page, id);
    expect(c, JSON.stringify(c)).toMatchObject({ mounted: true, focused: true, onScreen: true, atEnd: true, focusedOn: 'editor-content' });
    // Esc goes back to the card; Enter opens it again, caret where it was.
    await page.keyboard.press('Escape');
    await expect.poll(() => card(page, id).evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el), { timeout: UI_TIMEOUT }).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => isEditorFocused(page, id), { timeout: UI_TIMEOUT }).toBe(true);
    expect(await caretOf(page, id)).toMatchObject({ focused: true, onScreen: true, focusedOn: 'editor-content' });
  });
});
