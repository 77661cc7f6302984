// End-to-end: what a new participant and a trainer tripped over (issue 21), each as the user met
// it: work lost on a quick reload or while the generator ran, Reset opening the wrong scenario,
// Esc leaving editor dialogs open, the next version's form keeping the last upcaster, counts
// that read "1 documents". The release build, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, savedDocument, waitForSaved } from './support.mjs';

before(start);
after(stop);

/** The open editor dialog. */
function editor(page) {
  return page.locator('.editor-overlay');
}

/** The events the autosave holds. */
function savedEvents(page) {
  return savedDocument(page).then((saved) => saved.events?.events?.length ?? 0);
}

test('a command sent just before a reload is still there after it', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  // No wait for the autosave: leaving the page saves what is not saved yet.
  await page.reload();
  await page.locator('.brand').waitFor();
  const streams = page.getByRole('region', { name: 'Streams' });
  await streams.getByRole('button', { name: /cart-1/ }).waitFor();
  assert.match(await page.locator('.status-bar').textContent(), /1 event(?!s)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a running generator is saved as it runs, not only when it stops', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  await page.getByLabel('Generator definition').fill(JSON.stringify({
    name: 'slow carts',
    instances: 50,
    streamId: 'cart-{n}',
    intervalMs: 1000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
      { command: 'AddItem', repeat: [20, 20], data: { cartId: '{n}', productId: 'p-{i}', qty: 1, unitPrice: 10 } },
    ] },
  }));
  await page.getByLabel('Speed').selectOption('1');
  await page.getByRole('button', { name: 'Start' }).click();
  await waitForSaved(page, (saved) => (saved.events?.events?.length ?? 0) > 0, { timeout: 5000 });
  const status = await page.locator('.load-status').textContent();
  assert.doesNotMatch(status, / · done/, `saved while the generator still ran: ${status}`);
  assert.ok((await savedEvents(page)) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Reset in the hotel scenario asks for and opens the hotel, not the cart', async () => {
  const { page, errors } = await openApp({ keepPicker: true });
  await page.getByRole('button', { name: 'Start with Hotel guest stay' }).click();
  const asked = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.message());
    dialog.accept();
  });
  await page.getByRole('button', { name: 'Reset' }).click();
  assert.match(asked[0] ?? '', /Reset to the built-in Hotel guest stay\?/);
  await page.waitForFunction(() => /Scenario: /.test(document.querySelector('.status-bar')?.textContent ?? ''));
  assert.match(await page.locator('.status-bar').textContent(), /Scenario: Hotel guest stay/);
  const eventTypes = page.getByRole('region', { name: 'Event types' });
  assert.equal(await eventTypes.getByText('ItemAdded', { exact: true }).count(), 0, 'not the cart');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Esc closes an editor at once when nothing changed, and asks first when something did', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Edit event type ItemAdded' }).click();
  await editor(page).waitFor();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('.editor-overlay') === null);

  await page.getByRole('button', { name: 'Edit event type ItemAdded' }).click();
  await editor(page).getByRole('textbox', { name: 'Description', exact: true }).first().fill('changed');
  const asked = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    dialog.dismiss();
  });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('.editor-overlay') !== null);
  assert.match(asked[0] ?? '', /Drop your changes to event type ItemAdded\?/);
  assert.equal(await editor(page).getByRole('textbox', { name: 'Description', exact: true }).first().inputValue(), 'changed', 'kept when the user says no');
  page.once('dialog', (dialog) => dialog.accept());
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('.editor-overlay') === null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('after adding v2, the form for v3 starts from a fresh upcaster, not the v1 → v2 one', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Schema lab' }).click();
  const lab = page.getByRole('main', { name: 'Schema evolution lab' });
  await lab.getByLabel('Event type').selectOption({ label: 'CartOpened (v1)' });
  const v2 = lab.getByRole('region', { name: 'New version v2' });
  const upcaster = v2.getByLabel('Upcaster CartOpened v1 to v2');
  const fresh = await upcaster.inputValue();
  await upcaster.fill('fn upcast(event) {\n    event.data.channel = "web";\n    event\n}\n');
  await v2.getByRole('button', { name: 'Add v2' }).click();
  await page.getByRole('status').filter({ hasText: 'Added CartOpened v2 with its upcaster' }).waitFor();
  const v3 = lab.getByRole('region', { name: 'New version v3' });
  assert.equal(await v3.getByLabel('Upcaster CartOpened v2 to v3').inputValue(), fresh);
  assert.deepEqual(errors, []);
  await page.close();
});

test('one of anything reads in the singular', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  await page.getByRole('button', { name: 'Projections lab' }).click();
  const card = page.getByRole('region', { name: 'Projection CartSummary' });
  await card.getByRole('button', { name: 'Documents' }).click();
  await page.getByRole('region', { name: 'Documents of CartSummary' })
    .getByRole('heading', { name: 'CartSummary: 1 document', exact: true }).waitFor();
  await page.screenshot({ path: `${SHOTS}found-singular.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the status line floats over the page without moving it, and goes by itself', async () => {
  const { page, errors } = await openApp();
  const streams = page.getByRole('region', { name: 'Streams' });
  const before = await streams.boundingBox();
  await page.getByRole('button', { name: 'Edit event type ItemAdded' }).click();
  await editor(page).getByRole('button', { name: 'Save' }).click();
  const status = page.locator('.status-message').filter({ hasText: 'Saved event type ItemAdded' });
  await status.waitFor();
  assert.equal((await streams.boundingBox()).y, before.y, 'the panels stay where they were');
  await page.screenshot({ path: `${SHOTS}found-status-toast.png` });
  await status.waitFor({ state: 'detached', timeout: 10000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the header fits at 1280 and 1024 px, in presenter mode too, with every control on screen', async () => {
  const { page, errors } = await openApp();
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: width === 1280 ? 720 : 768 });
    for (const presenter of [false, true]) {
      if (presenter) await page.keyboard.press('p');
      if (presenter) await page.keyboard.press('ArrowRight');
      const overflow = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth - window.innerWidth,
        scrolled: window.scrollX,
        off: [...document.querySelectorAll('.app-header button, .app-header .button, .app-header select')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((el) => el.textContent.trim() || el.getAttribute('aria-label')),
      }));
      assert.deepEqual(overflow, { page: 0, scrolled: 0, off: [] }, `${width} px, presenter ${presenter}`);
      await page.screenshot({ path: `${SHOTS}found-header-${width}${presenter ? '-presenter' : ''}.png` });
      if (presenter) await page.keyboard.press('Escape');
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the palette reaches pages, rebuilds and presenter mode', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await page.keyboard.type('rebuild cartsum');
  assert.match(await palette.getByRole('option').first().textContent(), /Rebuild projection CartSummary in place/);
  await page.keyboard.press('Enter');
  const card = page.getByRole('region', { name: 'Projection CartSummary' });
  await card.getByText('caught up').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Projections lab' }).getAttribute('aria-pressed'), 'true');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('go to schema');
  await page.keyboard.press('Enter');
  await page.getByRole('main', { name: 'Schema evolution lab' }).waitFor();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('presenter');
  await page.keyboard.press('Enter');
  await page.getByRole('status', { name: 'Presenter mode' }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset of long-lived carts shows oversized-stream within seconds, and the generator survives a reload', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  await page.getByLabel('Generator preset').selectOption({ label: 'Long-lived Cart streams' });
  const definition = page.getByLabel('Generator definition');
  assert.match(await definition.inputValue(), /long-lived Cart streams/);
  await page.reload();
  await page.locator('.brand').waitFor();
  await page.getByRole('button', { name: 'Simulation' }).click();
  assert.match(await page.getByLabel('Generator definition').inputValue(), /long-lived Cart streams/, 'kept across the reload');
  await page.getByRole('button', { name: 'Start' }).click();
  const warnings = page.getByRole('region', { name: 'Live warnings' });
  await warnings.locator('.finding').filter({ hasText: /stream cart-1 holds \d+ events/ }).first().waitFor({ timeout: 20000 });
  await page.screenshot({ path: `${SHOTS}found-long-lived.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the console fills the stream from the id typed and keeps it, and the fields it shares, across commands', async () => {
  const { page, errors } = await openApp();
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('OpenCart');
  await console.getByLabel('cartId').fill('5');
  assert.equal(await console.getByLabel('Stream id').inputValue(), 'cart-5');
  await console.getByLabel('customerId').fill('c-1');
  await console.getByRole('button', { name: 'Send OpenCart' }).click();
  await page.getByRole('status').filter({ hasText: 'appended to cart-5' }).waitFor();
  await console.getByLabel('Command', { exact: true }).selectOption('AddItem');
  assert.equal(await console.getByLabel('Stream id').inputValue(), 'cart-5', 'kept across the switch');
  assert.equal(await console.getByLabel('cartId').inputValue(), '5', 'the shared field kept');
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 720 px the console brings its newest result into view', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  const outcome = page.locator('.command-console .outcome');
  await outcome.waitFor();
  await page.waitForFunction(() => {
    const shown = document.querySelector('.command-console .outcome')?.getBoundingClientRect();
    const body = document.querySelector('.command-console')?.closest('.panel-body')?.getBoundingClientRect();
    return shown && body && shown.bottom <= body.bottom + 1 && shown.top >= body.top - 1;
  }, null, { timeout: 5000 });
  await page.screenshot({ path: `${SHOTS}found-console-result.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a whole-number field typed as text is a field error in the console, and nothing reaches the decider', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('AddItem');
  await console.getByLabel('cartId').fill('1');
  await console.getByLabel('productId').fill('p-1');
  await console.getByLabel('qty').fill('abc');
  await console.getByLabel('unitPrice').fill('10');
  await console.getByRole('button', { name: 'Send AddItem' }).click();
  const qty = console.locator('label.field', { has: page.getByLabel('qty') });
  assert.match(await qty.locator('.field-problem').textContent(), /expected a whole number/);
  assert.equal(await console.getByText(/quantity must be positive/).count(), 0, 'the decider was not asked');
  assert.match(await page.locator('.status-bar').textContent(), /1 event(?!s)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every page at 1280×720 and 1024×768 keeps its controls and headings on screen', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  const pages = ['Workspace', 'Simulation', 'Projections lab', 'Schema lab', 'Two participants', 'Charts', 'System map'];
  for (const [width, height] of [[1280, 720], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    for (const name of pages) {
      await page.getByRole('button', { name, exact: true }).click();
      await page.getByRole('button', { name, pressed: true }).waitFor();
      const cut = await page.evaluate(() => {
        const right = document.documentElement.clientWidth;
        return [...document.querySelectorAll('button, a, input, select, textarea, h2, h3')]
          .filter((element) => element.offsetParent !== null)
          .filter((element) => {
            const box = element.getBoundingClientRect();
            return box.width > 0 && (box.right > right + 1 || box.left < -1);
          })
          .map((element) => `${element.tagName} ${(element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 30)}`);
      });
      assert.deepEqual(cut, [], `${name} at ${width}×${height}`);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true,
        `${name} at ${width}×${height} scrolls sideways`);
      await page.screenshot({ path: `${SHOTS}walk-${width}-${name.replace(/ /g, '-')}.png` });
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});
