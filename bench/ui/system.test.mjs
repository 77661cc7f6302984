// Frame times on the System page of the built-in concert-ticketing system while its clock plays
// and a load generator checks carts out: with messages drawn moving along the arrows, then
// without. The figures are printed as test diagnostics (`# …` lines).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, openApp, SHOTS } from '../../tests/e2e/support.mjs';

before(start);
after(stop);

const SECONDS = Number(process.env.EVENTARIUM_PERF_SECONDS ?? 15);

/** Records the time between animation frames for `ms`; the count, median, p95 and longest, in ms. */
async function frames(page, ms) {
  const recorded = await page.evaluate((ms) => new Promise((resolve) => {
    const frames = [];
    let last = performance.now();
    const started = last;
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (now - started < ms) requestAnimationFrame(tick); else resolve(frames.slice(1));
    };
    requestAnimationFrame(tick);
  }), ms);
  const sorted = [...recorded].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { frames: recorded.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}

const show = (s) => `${s.frames} frames, median ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, longest ${s.max.toFixed(1)} ms`;

test(`the System page keeps drawing while its clock plays under load (${SECONDS} s each)`, { timeout: 10 * 60_000 }, async (t) => {
  const { page, errors } = await openApp({ keepPicker: true });
  await page.getByRole('button', { name: 'Start with Concert ticketing' }).click();
  // A concert on sale, so that checkouts hold seats and go on to payments and tickets.
  await page.getByRole('button', { name: 'System map' }).click();
  const console = page.getByRole('form', { name: 'Module console' });
  await console.getByLabel('Module', { exact: true }).selectOption('concerts');
  await console.getByLabel('Stream or row id').fill('concert-warsaw');
  await console.getByLabel('Command data').fill(JSON.stringify({
    concertId: 'warsaw', name: 'Renaissance', artist: 'Beyoncé', venue: 'PGE Narodowy', startsAt: '2023-06-27T20:00:00Z',
    tiers: [{ tier: 'standing', price: 25000, capacity: 1000000 }],
  }));
  await console.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('status').filter({ hasText: 'ScheduleConcert accepted' }).waitFor();
  await page.getByRole('button', { name: 'Until idle' }).click();

  await page.getByRole('button', { name: 'Simulation' }).click();
  const generator = {
    name: 'checkouts',
    instances: 100000,
    streamId: 'cart-{n}',
    concurrency: 20,
    intervalMs: 1000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'u-{n}' } },
      { command: 'AddTickets', data: { cartId: '{n}', concertId: 'warsaw', tier: 'standing', quantity: 1, unitPrice: 25000 } },
      { command: 'ConfirmCart', data: { cartId: '{n}', email: 'u-{n}@example.com' } },
    ] },
  };
  await page.getByLabel('Generator definition').fill(JSON.stringify(generator));
  await page.getByLabel('Speed').selectOption('10');
  await page.getByRole('button', { name: 'Start' }).click();

  await page.getByRole('button', { name: 'System map' }).click();
  await page.getByLabel('Clock speed').selectOption('10');
  await page.getByRole('button', { name: 'Play the clock' }).click();
  await page.locator('.map-message').first().waitFor({ timeout: 30_000 });
  const moving = await frames(page, SECONDS * 1000);
  const clock = await page.locator('.system-clock').textContent();
  await page.screenshot({ path: `${SHOTS}bench-system-moving.png` });
  t.diagnostic(`messages drawn moving: ${show(moving)}; ${clock}`);

  await page.getByLabel('Draw messages moving').uncheck();
  const still = await frames(page, SECONDS * 1000);
  t.diagnostic(`messages not drawn: ${show(still)}; ${await page.locator('.system-clock').textContent()}`);
  const sent = await page.locator('.status-events').textContent();
  t.diagnostic(`main module: ${sent}`);
  await page.getByRole('button', { name: 'Pause the clock' }).click();
  assert.ok(moving.frames > 0 && still.frames > 0);
  assert.deepEqual(errors, []);
  await page.close();
});
