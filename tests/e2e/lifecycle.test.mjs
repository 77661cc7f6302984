// End-to-end journeys of the data lifecycle page: a month of carts, the closed ones archived and
// one read back, what a rebuild would lose, old segments uploaded and scavenged, all kept over a
// reload. The release build, in Debian's Chromium, at 1280×720 and 1024×768.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp } from './support.mjs';

before(start);
after(stop);

/** Runs 40 carts on the generator, one command every hour of simulated time; most confirm. */
async function monthOfCarts(page) {
  await page.getByRole('button', { name: 'Simulation' }).click();
  await page.getByLabel('Generator definition').fill(JSON.stringify({
    name: 'a month of carts',
    instances: 40,
    streamId: 'cart-{n}',
    concurrency: 2,
    intervalMs: 3_600_000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
      { command: 'AddItem', repeat: [2, 4], data: { cartId: '{n}', productId: 'p-{i}', qty: 1, unitPrice: 10 } },
      { command: 'ConfirmCart', probability: 0.8, data: { cartId: '{n}' } },
    ] },
  }));
  await page.getByLabel('Speed').selectOption('1000');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.load-status').filter({ hasText: / · done/ }).waitFor({ timeout: 60_000 });
}

/** A figure of the meter, by its label. */
async function figure(page, label) {
  const figures = page.locator('.meter-figures');
  return figures.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent();
}

test('journey: closed carts are archived, one is read back, a rebuild would lose them, and a reload keeps it all', async () => {
  const { page, errors } = await openApp();
  await monthOfCarts(page);
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  const byStream = page.getByRole('region', { name: 'Archive by stream' });
  const closed = Number((await byStream.locator('h4', { hasText: 'Closed, not archived' }).textContent()).match(/\((\d+)\)/)[1]);
  assert.ok(closed >= 20, `most carts are closed: ${closed}`);
  await page.getByRole('button', { name: '+30 days' }).click();
  await byStream.getByLabel('Idle days').fill('');
  await byStream.getByRole('alert').filter({ hasText: 'whole number of days' }).waitFor();
  await byStream.getByLabel('Idle days').fill('14');
  await byStream.getByRole('button', { name: 'Archive closed streams' }).click();
  await byStream.getByRole('status').filter({ hasText: `Archived ${closed} streams closed for 14 days or more` }).waitFor();
  assert.match(await figure(page, 'Archived streams'), new RegExp(`^${closed} streams · `));
  assert.match(await figure(page, 'All of it hot'), /tiering saves 0%/, 'the archived partition is on the same disk');

  const first = byStream.locator('tbody tr').first();
  const id = await first.locator('td').first().textContent();
  await byStream.getByRole('button', { name: `Read back ${id}` }).click();
  await byStream.getByRole('status').filter({ hasText: new RegExp(`events of ${id} back from the archived partition: \\+15 ms simulated`) }).waitFor();
  assert.match(await figure(page, 'Cold reads'), /^1 read of archived streams/);

  const preview = page.getByRole('region', { name: 'Rebuild preview' });
  await preview.getByRole('button', { name: 'Preview a rebuild' }).click();
  const result = await preview.locator('.rebuild-result').textContent();
  assert.match(result, new RegExp(`CartSummary: 40 documents now, ${40 - closed} after a rebuild; ${closed} lost`), result);
  await page.screenshot({ path: `${SHOTS}lifecycle-archived.png`, fullPage: true });

  // The archiver: segments of 50 events kept locally 7 days.
  const byPosition = page.getByRole('region', { name: 'Archive by position' });
  await byPosition.getByLabel('Segment size in events').fill('50');
  await byPosition.getByLabel('Keep locally for days').fill('7');
  await byPosition.getByRole('button', { name: 'Set up the archiver' }).click();
  await byPosition.getByRole('button', { name: 'Upload segments' }).click();
  await byPosition.getByRole('status').filter({ hasText: /^Uploaded \d+ segments/ }).waitFor();
  await byPosition.getByRole('button', { name: 'Scavenge' }).click();
  await byPosition.getByRole('status').filter({ hasText: /now only in the archive/ }).waitFor();
  const onlyThere = await figure(page, 'Archive (object storage)');
  assert.match(onlyThere, /; [1-9]\d* events only there$/, onlyThere);
  assert.ok(await byPosition.locator('tr.archive-only').count() > 0, 'segments only in the archive');
  assert.doesNotMatch(await figure(page, 'All of it hot'), /saves 0%/, 'object storage is cheaper');

  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: `${SHOTS}lifecycle-1024.png`, fullPage: true });
  await page.waitForTimeout(600);
  await page.reload();
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  assert.match(await figure(page, 'Archived streams'), new RegExp(`^${closed} streams · `), 'archived streams after a reload');
  assert.match(await figure(page, 'Archive (object storage)'), onlyThere.includes('only there') ? /events only there$/ : /./);
  const reloadedSegments = await page.getByRole('region', { name: 'Archive by position' }).locator('tr.archive-only').count();
  assert.ok(reloadedSegments > 0, 'the horizon after a reload');
  assert.deepEqual(errors, []);
  await page.close();
});

test('journey: a year of traffic in the time-lapse, the policy archiving and offloading as the days end', async () => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Data lifecycle' }).click();
  const lapse = page.getByRole('region', { name: 'Time-lapse' });
  await lapse.getByText('No day has ended yet.').waitFor();
  // The archiver and the policy first: closed carts archived after 30 days, daily uploads, a
  // monthly scavenge.
  const byPosition = page.getByRole('region', { name: 'Archive by position' });
  await byPosition.getByLabel('Segment size in events').fill('5000');
  await byPosition.getByRole('button', { name: 'Set up the archiver' }).click();
  const policy = lapse.getByRole('group', { name: 'Lifecycle policy' });
  await policy.getByLabel(/Archive closed streams idle/).check();
  await policy.getByLabel('Upload segments daily').check();
  await policy.getByLabel('Scavenge every 30 days').check();

  const started = Date.now();
  await lapse.getByRole('button', { name: 'Run a year of traffic' }).click();
  await lapse.locator('.load-status').filter({ hasText: / · done/ }).waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  const summary = await lapse.locator('p.muted', { hasText: 'sampled' }).textContent();
  const days = Number(summary.match(/^(\d+) days sampled/)[1]);
  assert.ok(days >= 360 && days <= 366, `a year of days: ${summary}`);
  assert.equal(await lapse.locator('.day-chart').count(), 5, 'five charts');
  const cold = await lapse.getByRole('figure', { name: 'Hot and cold bytes' }).locator('figcaption').textContent();
  assert.match(cold, /cold [1-9][\d.]* [KM]B/, `cold bytes grow: ${cold}`);
  assert.match(await figure(page, 'Archived streams'), /^[1-9]\d* streams · /);
  assert.match(await figure(page, 'Archive (object storage)'), /; [1-9]\d* events only there$/);
  await page.screenshot({ path: `${SHOTS}lifecycle-year.png` });
  console.log(`a year of traffic in ${seconds.toFixed(1)} s of wall time`);
  assert.deepEqual(errors, []);
  await page.close();
});
