// The webhooks section of a live file's settings dialog, as a chief and as an editor.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2E, launchChromium, newDeskContext } from '../support/chromium.js';
import { openLiveFile, UI_TIMEOUT } from '../support/e2eDesk.js';
import { newsroomPeople, type Person } from '../support/newsroomPeople.js';
import { publishFlow } from '../support/publishFlow.js';
import { startTestServer, type TestServer } from '../support/startTestServer.js';
import { startReceiver, type Receiver } from '../support/webhookReceiver.js';

let server: TestServer;
let browser: Browser;
let receiver: Receiver;
const people = newsroomPeople(() => server);
let editor: Person;
let chief: Person;
const flow = publishFlow(() => server, () => editor, () => chief);

beforeAll(async () => {
  [server, browser, receiver] = await Promise.all([startTestServer({ env: { WEBHOOKS_ALLOW_PRIVATE: 'true' } }), launchChromium(), startReceiver()]);
  [editor, chief] = await Promise.all([people.demoPerson('editor'), people.demoPerson('chief')]);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.close();
});

describeE2E('webhooks in the settings dialog', () => {
  it('[WH10] a chief adds a webhook (the secret shown once), sees its delivery log with the last outcome and failures, turns it off; an editor sees no webhooks', async () => {
    const fileId = await people.newLiveFile(chief, 'Hooked');
    const desk = await newDeskContext(browser, server, 'chief', { noNavigate: true });
    const page = desk.page;
    await openLiveFile(page, server, fileId);
    await page.getByTestId('file-settings-open').click();
    const dialog = page.getByTestId('file-settings');
    const section = dialog.getByTestId('webhooks');
    await section.waitFor({ timeout: UI_TIMEOUT });
    await section.getByTestId('webhook-url').fill(`${receiver.url}/desk`);
    await section.getByTestId('webhook-event-retract').uncheck();
    await section.getByTestId('webhook-add').click();
    const secret = await section.getByTestId('webhook-secret').locator('code').textContent({ timeout: UI_TIMEOUT });
    expect(secret).toMatch(/^whsec_/);
    const hook = section.getByTestId('webhook');
    expect(await hook.count()).toBe(1);
    expect(await hook.getByTestId('webhook-state').textContent()).toMatch(/On\s*· publish, correct · nothing sent yet/);

    await flow.publish(fileId, 'Sent to the hook.');
    await receiver.count(1);
    // Reopened: the log shows the delivery; the secret is gone for good.
    await dialog.getByTestId('file-settings-close').click();
    await page.getByTestId('file-settings-open').click();
    await expect.poll(async () => page.getByTestId('file-settings').getByTestId('webhook-state').textContent(), { timeout: UI_TIMEOUT }).toMatch(/last: delivered \(204\)/);
    const reopened = page.getByTestId('file-settings').getByTestId('webhooks');
    expect(await reopened.getByTestId('webhook-failures').textContent()).toBe('0 failed in a row');
    expect(await reopened.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret!);
    await reopened.getByTestId('webhook-log').locator('summary').click();
    expect(await reopened.getByTestId('webhook-delivery').first().textContent()).toMatch(/#1 publish\s*delivered[\s\S]*delivered 204 \d+ ms/);
    await reopened.getByTestId('webhook-toggle').click();
    await expect.poll(() => reopened.getByTestId('webhook-state').textContent(), { timeout: UI_TIMEOUT }).toMatch(/^\s*Off/);
    expect((await server.store.webhooks.listByLiveFile(fileId))[0]!.enabled).toBe(false);
    await desk.context.close();

    const editorDesk = await newDeskContext(browser, server, 'editor', { noNavigate: true });
    await openLiveFile(editorDesk.page, server, fileId);
    await editorDesk.page.getByTestId('file-settings-open').click();
    await editorDesk.page.getByTestId('audit-csv').waitFor({ timeout: UI_TIMEOUT });
    expect(await editorDesk.page.getByTestId('webhooks').count()).toBe(0);
    await editorDesk.context.close();
  });
});
