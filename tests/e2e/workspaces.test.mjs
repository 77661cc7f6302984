// End-to-end journeys through the workspaces kept in the browser's IndexedDB: several named
// workspaces (open, rename, duplicate, delete after asking), the current one reopened after a
// reload, a save of an earlier version moved over from local storage once, and a workspace past
// the old 20,000-event limit restored identically.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SHOTS, start, stop, openApp, openCart, waitForSaved } from './support.mjs';

before(start);
after(stop);

/** The workspaces dialog, opened. */
async function workspaces(page) {
  await page.getByRole('button', { name: 'Workspaces', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Workspaces in this browser' });
  await dialog.locator('table.workspaces').waitFor();
  return dialog;
}

/** The names listed, in order. */
async function names(dialog) {
  return dialog.locator('tbody th').allTextContents();
}

test('several workspaces: open a second, rename, duplicate, switch, reload, delete after asking', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await waitForSaved(page, (document) => JSON.stringify(document).includes('cart-1'));

  await page.getByLabel('Open a built-in scenario').selectOption({ label: 'concert-ticketing' });
  await page.locator('.status-bar').filter({ hasText: 'Concert ticketing' }).waitFor();
  let dialog = await workspaces(page);
  await dialog.locator('tbody tr').nth(1).waitFor();
  assert.deepEqual((await names(dialog)).sort(), ['Concert ticketing', 'Shopping cart']);
  const cartRow = dialog.locator('tbody tr').filter({ hasText: 'Shopping cart' });
  assert.equal(await cartRow.locator('td').nth(0).textContent(), '1', 'its one event');
  assert.match(await cartRow.locator('td').nth(1).textContent(), /^[\d.]+ (KB|MB)$/, 'its size');
  assert.ok(await dialog.getByRole('button', { name: 'Delete Concert ticketing' }).isDisabled(), 'the open one cannot be deleted');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: `${SHOTS}workspaces-1024.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: `${SHOTS}workspaces-1280.png` });

  page.once('dialog', (prompt) => prompt.accept('Monday demo'));
  await dialog.getByRole('button', { name: 'Rename Shopping cart' }).click();
  await dialog.locator('tbody th', { hasText: 'Monday demo' }).waitFor();
  await dialog.getByRole('button', { name: 'Duplicate Monday demo' }).click();
  await dialog.locator('tbody th', { hasText: 'Monday demo (copy)' }).waitFor();

  await dialog.getByRole('button', { name: 'Open Monday demo', exact: true }).click();
  await page.locator('.status-bar').filter({ hasText: 'Shopping cart' }).waitFor();
  const streams = page.getByRole('region', { name: 'Streams' });
  assert.ok(await streams.getByRole('button', { name: /cart-1/ }).isVisible(), 'its events are back');

  await page.reload();
  await page.locator('.brand').waitFor();
  assert.match(await page.locator('.status-bar').textContent(), /Shopping cart/, 'the one open last is opened again');
  assert.ok(await streams.getByRole('button', { name: /cart-1/ }).isVisible());

  dialog = await workspaces(page);
  page.once('dialog', (confirm) => confirm.dismiss());
  await dialog.getByRole('button', { name: 'Delete Monday demo (copy)' }).click();
  assert.equal(await dialog.locator('tbody th', { hasText: 'Monday demo (copy)' }).count(), 1, 'kept when not confirmed');
  let asked = '';
  page.once('dialog', (confirm) => {
    asked = confirm.message();
    confirm.accept();
  });
  await dialog.getByRole('button', { name: 'Delete Monday demo (copy)' }).click();
  await dialog.locator('tbody th', { hasText: 'Monday demo (copy)' }).waitFor({ state: 'detached' });
  assert.match(asked, /Delete the workspace "Monday demo \(copy\)" \(1 event, .*\)\? This cannot be undone/);
  assert.deepEqual((await names(dialog)).sort(), ['Concert ticketing', 'Monday demo']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a save of an earlier version in local storage moves to the database once', async () => {
  const { page, errors } = await openApp();
  const scenario = JSON.parse(
    await readFile(new URL('../../static/scenarios/hotel-guest-stay.eventarium.json', import.meta.url), 'utf8'),
  );
  scenario.name = 'Kept by an earlier version';
  await page.evaluate(
    (text) =>
      new Promise((done) => {
        localStorage.clear();
        localStorage.setItem('eventarium.workspace', text);
        const request = indexedDB.deleteDatabase('eventarium');
        request.onsuccess = request.onerror = request.onblocked = () => done();
      }),
    JSON.stringify(scenario),
  );
  await page.reload();
  await page.locator('.status-bar').filter({ hasText: 'Kept by an earlier version' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('eventarium.workspace')), null, 'moved out');
  const dialog = await workspaces(page);
  assert.deepEqual(await names(dialog), ['Kept by an earlier version']);
  await page.reload();
  await page.locator('.status-bar').filter({ hasText: 'Kept by an earlier version' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a workspace past the old 20,000-event limit is restored identically after a reload', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  await page.getByLabel('Generator definition').fill(JSON.stringify({
    name: 'a busy week',
    instances: 2_500,
    streamId: 'cart-{n}',
    intervalMs: 1000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
      { command: 'AddItem', repeat: [8, 8], data: { cartId: '{n}', productId: 'p-{i}', qty: 1, unitPrice: 10 } },
    ] },
  }));
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.load-status').filter({ hasText: / · done/ }).waitFor({ timeout: 180_000 });
  const saved = await waitForSaved(page, (document) => (document.events?.events?.length ?? 0) === 22_500, {
    timeout: 30_000,
  });
  await page.reload();
  await page.locator('.brand').waitFor();
  assert.match(await page.locator('.status-bar').textContent(), /22,?500 events/);
  const exported = await page.evaluate(async () => {
    const link = [...document.querySelectorAll('a[download]')].find((a) => a.textContent === 'Export');
    link.click();
    return decodeURIComponent(link.href.slice(link.href.indexOf(',') + 1));
  });
  const reopened = JSON.parse(exported);
  assert.deepEqual(reopened.events, saved.events, 'the same events, streams and store');
  assert.deepEqual(reopened.readModels, saved.readModels, 'the same read models');
  assert.deepEqual(errors, []);
  await page.close();
});
