// End-to-end: a slow writer holds a transaction open while a later one commits above it. A naive
// async projection reads past the gap and never counts the slow writer's event; waiting at the
// high-water mark, it counts everything once the transaction commits. The release build, in
// Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp, openCart, addItem } from './support.mjs';

before(start);
after(stop);

const NAME = 'ItemsAddedPerProduct';

async function addOne(page, n) {
  await page.getByRole('button', { name: 'Workspace', exact: true }).click();
  await addItem(page, n, 'p-1', 1);
}

async function lab(page) {
  await page.getByRole('button', { name: 'Projections lab' }).click();
  return page.getByRole('region', { name: `Projection ${NAME}` });
}

/** The count of p-1 once the card shows `state`. */
async function count(page, state) {
  const card = await lab(page);
  await card.locator('.state', { hasText: state }).waitFor();
  if ((await card.getByRole('button', { name: 'Documents' }).getAttribute('aria-pressed')) !== 'true') {
    await card.getByRole('button', { name: 'Documents' }).click();
  }
  const row = page.locator('table.documents tbody tr', { has: page.locator('th', { hasText: /^p-1$/ }) });
  return Number(await row.locator('td').first().textContent());
}

/** Cart 2's line is held open by a slow writer; cart 1's commits above it. */
async function slowWriter(page) {
  await lab(page);
  await page.getByRole('button', { name: 'Slow writer: hold the next command open 5 s' }).click();
  await page.getByRole('button', { name: 'Slow writer armed: next command' }).waitFor();
  await addOne(page, 2);
  await addOne(page, 1);
  await lab(page);
  await page.getByRole('list', { name: 'In flight' }).getByText(/1 event of cart-2 at position \d+, commits in 5\.000 s/).waitFor();
}

test('journey: a naive projection misses a slow writer; the high-water mark waits for it', async () => {
  const { page, errors } = await openApp();
  await openCart(page, 1);
  await page.getByRole('status').filter({ hasText: 'appended to cart-1' }).waitFor();
  await openCart(page, 2);
  await page.getByRole('status').filter({ hasText: 'appended to cart-2' }).waitFor();
  await addOne(page, 1);
  assert.equal(await count(page, 'caught up'), 1);

  await slowWriter(page);
  const card = await lab(page);
  assert.equal(await count(page, 'caught up'), 2, 'cart 1 counted, cart 2 read past');
  const report = card.locator('.crash-report.harmful');
  assert.match(await report.textContent(), /Read past 1 event in flight \(position \d+\): committed behind its checkpoint, never read/);
  await page.screenshot({ path: `${SHOTS}gaps-naive-missed.png` });
  await page.getByRole('button', { name: 'Commit now' }).click();
  assert.equal(await count(page, 'caught up'), 2, 'committed, still never read');

  // The fix: wait at the high-water mark, and a rebuild for the missed event.
  await card.getByLabel(`Gaps of ${NAME}`).selectOption('wait');
  await card.getByRole('button', { name: 'Rebuild in place' }).click();
  assert.equal(await count(page, 'caught up'), 3, 'rebuilt from the committed log');
  await slowWriter(page);
  assert.equal(await count(page, 'waiting at a gap'), 3, 'cart 1 waits behind cart 2');
  assert.match(await card.locator('.crash-report').first().textContent(), /Waiting at position \d+, the high-water mark/);
  await page.screenshot({ path: `${SHOTS}gaps-high-water-mark.png` });
  await page.getByRole('button', { name: 'Commit now' }).click();
  assert.equal(await count(page, 'caught up'), 5, 'both read once committed');

  // Rebuild faults: unguarded, a crashed rebuilder leaves it stuck; guarded, the lock holds.
  const guards = page.getByLabel('Rebuild guards: lock, lease, inline writes paused');
  await guards.uncheck();
  await card.getByRole('button', { name: 'Rebuild, crashing halfway' }).click();
  await card.locator('.state', { hasText: 'stuck rebuilding' }).waitFor();
  assert.match(await card.locator('.crash-report.harmful').first().textContent(), /crashed at position \d+ and, with no lease to expire, nothing took over/);
  assert.ok(await card.getByRole('button', { name: 'Rebuild, crashing halfway' }).isDisabled(), 'while stuck');
  await page.screenshot({ path: `${SHOTS}rebuild-stuck.png` });
  await guards.check();
  await card.getByRole('button', { name: 'Rebuild in place' }).click();
  assert.equal(await count(page, 'caught up'), 5, 'started over');
  await card.getByRole('button', { name: 'Rebuild with a second rebuilder' }).click();
  assert.equal(await count(page, 'caught up'), 5, 'built once');
  assert.match(await card.locator('.crash-report').filter({ hasText: 'lock' }).textContent(), /The lock turned a second rebuilder away/);

  await page.reload();
  const reloaded = await lab(page);
  assert.equal(await reloaded.getByLabel(`Gaps of ${NAME}`).inputValue(), 'wait');
  assert.deepEqual(errors, []);
  await page.close();
});
