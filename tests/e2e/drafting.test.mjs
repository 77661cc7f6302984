// End-to-end journeys through the model editor: draft an event type and a command entirely in
// the UI and run it (journey 2), a script error marked at its line and cleared when fixed
// (journey 3), an endless loop stopped with a message while the app keeps answering (journey 6),
// the delete confirmation, and the first-start picker. The release build, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, fillOpenCart, waitForSaved } from './support.mjs';

before(start);
after(stop);

/** The open editor dialog. */
function editor(page) {
  return page.locator('.editor-overlay');
}

/** Opens the Cart stream type in the editor. */
async function editCart(page) {
  await page.getByRole('button', { name: 'Edit stream type Cart' }).click();
  await editor(page).waitFor();
  return editor(page).getByLabel('Cart Script: decide and evolve');
}

test('first start: a scenario picker, answered once', async () => {
  const { page, errors } = await openApp({ keepPicker: true });
  const picker = page.getByRole('dialog', { name: 'Choose a scenario' });
  await picker.waitFor();
  assert.ok(await picker.getByRole('button', { name: 'Start with Hotel guest stay' }).isVisible());
  assert.ok(await picker.getByRole('button', { name: 'Start with Concert ticketing' }).isVisible());
  await picker.getByRole('button', { name: 'Start with an empty workspace' }).click();
  assert.match(await page.locator('.status-bar').textContent(), /Untitled workspace/);
  await waitForSaved(page, (document) => document.name === 'Untitled workspace');
  await page.reload();
  await page.locator('.brand').waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'Choose a scenario' }).count(), 0, 'not asked again');
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 2: a new event type and a command whose decider emits it, drafted in the UI, run', async () => {
  const { page, errors } = await openApp();
  // The event type, with one field through the field form.
  await page.getByRole('button', { name: 'New event type' }).click();
  const form = editor(page);
  await form.getByLabel('Name', { exact: true }).fill('NoteAdded');
  await form.getByRole('button', { name: 'Add a field to NoteAdded v1' }).click();
  await form.getByLabel('NoteAdded v1 field field1: name').fill('text');
  await form.getByLabel('NoteAdded v1 field text: type').selectOption('string');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved event type NoteAdded' }).waitFor();

  // The command, handled by Cart.
  await page.getByRole('button', { name: 'New command' }).click();
  await form.getByLabel('Name', { exact: true }).fill('AddNote');
  await form.getByLabel('Handled by stream type').selectOption('Cart');
  await form.getByRole('button', { name: 'Add a field to AddNote' }).click();
  await form.getByLabel('AddNote field field1: name').fill('text');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved command AddNote' }).waitFor();

  // The decider emits it.
  const script = await editCart(page);
  const source = await script.inputValue();
  await script.fill(source.replace(
    'fn decide(command, state) {',
    'fn decide(command, state) {\n    if command.type == "AddNote" { return [#{ type: "NoteAdded", data: #{ text: command.data.text } }]; }',
  ));
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved stream type Cart' }).waitFor();

  // Run it from the console.
  const console = page.getByRole('form', { name: 'Command console' });
  await console.getByLabel('Command', { exact: true }).selectOption('AddNote');
  await console.getByLabel('Stream id').fill('cart-7');
  await console.getByLabel('text').fill('hello');
  await console.getByRole('button', { name: 'Send AddNote' }).click();
  await page.getByRole('status').filter({ hasText: 'appended to cart-7' }).waitFor();
  const streams = page.getByRole('region', { name: 'Streams' });
  assert.ok(await streams.getByRole('button', { name: /NoteAdded/ }).isVisible(), 'the event is in the timeline');
  await page.screenshot({ path: `${SHOTS}drafting-new-command.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 3: a script error is marked at its line as the user types, and the marker goes once fixed', async () => {
  const { page, errors } = await openApp();
  const script = await editCart(page);
  const source = await script.inputValue();
  const lines = source.split('\n');
  const evolve = lines.findIndex((l) => l.startsWith('fn evolve'));
  assert.ok(evolve > 0, 'the Cart script has an evolve');
  // Break the line after `fn evolve(…) {`: an operator with nothing after it.
  lines.splice(evolve + 1, 0, '    let broken = 1 +;');
  await script.fill(lines.join('\n'));
  const marked = editor(page).locator('.gutter li.marked');
  await marked.first().waitFor();
  assert.equal(await marked.first().textContent(), String(evolve + 2), 'marked at the broken line');
  assert.match(await editor(page).locator('.script-problem').first().textContent(), new RegExp(`line ${evolve + 2}`));
  assert.equal(await script.getAttribute('aria-invalid'), 'true');
  await page.screenshot({ path: `${SHOTS}drafting-script-error.png` });
  // Save is refused while it is broken, and nothing is lost.
  await editor(page).getByRole('button', { name: 'Save' }).click();
  assert.ok(await editor(page).isVisible(), 'the editor stays open');
  // Fix it: the marker goes.
  await script.fill(source);
  await page.waitForFunction(() => document.querySelectorAll('.gutter li.marked').length === 0);
  assert.equal(await script.getAttribute('aria-invalid'), 'false');
  assert.match(await editor(page).locator('.editor-status').textContent(), /No problems/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 3b: an unsaved draft survives a reload', async () => {
  const { page, errors } = await openApp();
  const script = await editCart(page);
  await script.fill(`${await script.inputValue()}\n// still thinking`);
  await page.waitForFunction(() => (localStorage.getItem('eventarium.draft') ?? '').includes('still thinking'));
  await page.reload();
  await editor(page).waitFor();
  assert.match(await editor(page).getByLabel('Cart Script: decide and evolve').inputValue(), /still thinking/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey 6: a decider with an endless loop gives a clear error within a second and the app keeps answering', async (t) => {
  const { page, errors } = await openApp();
  const script = await editCart(page);
  const source = await script.inputValue();
  await script.fill(source.replace('fn decide(command, state) {', 'fn decide(command, state) {\n    loop { }'));
  await editor(page).getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved stream type Cart' }).waitFor();
  const send = await fillOpenCart(page, 1);
  const started = Date.now();
  await send.click();
  const failure = page.locator('.outcome-failed');
  await failure.waitFor({ timeout: 1000 });
  const took = Date.now() - started;
  assert.ok(took < 1000, `the error came after ${took} ms`);
  t.diagnostic(`endless loop stopped and reported ${took} ms after the click`);
  const loopLine = source.split('\n').findIndex((l) => l.startsWith('fn decide')) + 2;
  assert.match(await failure.textContent(), new RegExp(`line ${loopLine}, .*endless loop`));
  // Still answering: the help opens.
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.screenshot({ path: `${SHOTS}drafting-endless-loop.png` });
  assert.deepEqual(errors, []);
  await page.close();
});

test('deleting asks first and says what depends on the definition', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Edit stream type Customer' }).click();
  await editor(page).getByRole('button', { name: 'Delete' }).click();
  const ask = page.getByRole('alertdialog', { name: 'Delete stream type Customer?' });
  await ask.waitFor();
  assert.match(await ask.textContent(), /command RecordPurchase/);
  assert.match(await ask.textContent(), /policy RecordPurchaseOnConfirmation mentions RecordPurchase/);
  await ask.getByRole('button', { name: 'Keep it' }).click();
  assert.ok(await page.getByRole('button', { name: 'Edit stream type Customer' }).count() === 1);
  await editor(page).getByRole('button', { name: 'Delete' }).click();
  await ask.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted stream type Customer' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Edit command RecordPurchase' }).count(), 0, 'its command went with it');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the command palette finds an action by a few letters and runs it', async () => {
  const { page, errors } = await openApp();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  await page.keyboard.type('edit cart');
  const options = palette.getByRole('option');
  assert.match(await options.first().textContent(), /Edit stream type Cart/);
  await page.keyboard.press('Enter');
  await editor(page).waitFor();
  assert.match(await editor(page).locator('h2').textContent(), /Edit stream type Cart/);
  await page.screenshot({ path: `${SHOTS}drafting-editor.png` });
  await editor(page).getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByRole('dialog', { name: 'Command palette' }).count(), 0, 'closed after running');
  assert.deepEqual(errors, []);
  await page.close();
});
