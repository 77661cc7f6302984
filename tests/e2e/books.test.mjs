// End-to-end journey of closing the books: a year at the cashier registers in the time-lapse,
// the stream-without-lifecycle warning, the guided refactor from it, and the same load going on
// with the warning gone. The release build, in Debian's Chromium, at 1280×720 and 1024×768.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp } from './support.mjs';

before(start);
after(stop);

test('journey: a year at the tills warns that registers never end; closing the books takes the warning away', async () => {
  const { page, errors } = await openApp({ keepPicker: true });
  await page.getByRole('button', { name: 'Start with Cashier register' }).click();
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  const lapse = page.getByRole('region', { name: 'Time-lapse' });
  const policy = lapse.getByRole('group', { name: 'Lifecycle policy' });
  await policy.getByLabel(/Archive closed streams idle/).check();
  await policy.getByLabel('Archive after days').fill('7');

  // The year starts; once a register's stream passes the threshold, the warning is up.
  await lapse.getByRole('button', { name: 'Run a year of traffic' }).click();
  const books = page.getByRole('region', { name: 'Closing the books' });
  const flagged = books.getByLabel('Stream type to close the books of').locator('option', { hasText: 'CashRegister (never ends)' });
  await flagged.waitFor({ state: 'attached', timeout: 30_000 });
  await lapse.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  const warnings = page.getByRole('region', { name: 'Warnings' });
  const warning = warnings.locator('li.finding', { hasText: 'none of the' }).filter({ hasText: 'CashRegister' });
  await warning.waitFor();
  await warning.locator('summary').click();
  await page.screenshot({ path: `${SHOTS}books-warning.png` });
  assert.match(await warning.textContent(), /stream-without-lifecycle/);

  // The refactor, from the warning: the model change is shown before anything changes.
  await warning.getByRole('button', { name: 'Close the books of CashRegister…' }).click();
  const change = books.getByLabel('The model change');
  await change.waitFor();
  assert.match(await change.textContent(), /adds the event type CashRegisterPeriodClosed/);
  assert.match(await change.textContent(), /adds the inline projection CashRegisterPeriods/);
  assert.match(await change.textContent(), /closes the books of the 6 existing register streams now/);
  assert.match(await books.locator('pre.diff .added').first().textContent(), /"periods"/);
  await books.getByLabel('Period length').fill('0');
  await books.getByText('Period length: a whole number from 1 to 100000').waitFor();
  assert.equal(await books.getByRole('button', { name: 'Close the books of CashRegister' }).isDisabled(), true);
  await books.getByLabel('Period length').fill('1');
  await books.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}books-refactor.png` });
  await books.getByRole('button', { name: 'Close the books of CashRegister' }).click();
  await books.locator('.lifecycle-said').filter({ hasText: 'register-1 → register-1:1' }).waitFor();
  await books.getByRole('button', { name: 'Close the books of another stream type…' }).waitFor();
  const tracker = books.locator('.books-tracker');
  assert.match(await tracker.textContent(), /CashRegister: periods close every simulated day/);

  // The same load goes on to the end of the year, closing a period a day.
  await lapse.getByRole('button', { name: 'Play' }).click();
  await lapse.locator('.load-status').filter({ hasText: / · done/ }).waitFor({ timeout: 120_000 });
  const open = Number((await tracker.locator('tr', { hasText: 'register-1' }).locator('td').nth(1).textContent()).split(':')[1]);
  assert.ok(open > 200, `a period a day for most of the year: register-1:${open}`);
  await page.screenshot({ path: `${SHOTS}books-year.png` });

  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await warnings.locator('li.finding.resolved', { hasText: 'CashRegister' }).first().waitFor();
  assert.equal(await warnings.getByRole('button', { name: /Close the books of CashRegister/ }).count(), 0);
  assert.equal(await warnings.locator('li.finding:not(.resolved)', { hasText: /CashRegister \(/ }).count(), 0);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  await books.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}books-1024.png` });
  assert.deepEqual(errors, []);
  await page.close();
});
