// Performance with a million events in the running app: a generator fills the store while the
// frame times are recorded; then page switches, a stream's timeline, a scroll through it and an
// in-place rebuild of a scripted read model over the million events, each timed. The figures are
// printed as test diagnostics (`# …` lines); the asserts hold the targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, start, stop, openApp } from '../../tests/e2e/support.mjs';

before(start);
after(stop);

const EVENTS = Number(process.env.EVENTARIUM_PERF_EVENTS ?? 100_000);
// Short streams, as the workshop teaches: a cart is opened and gets nine items.
const PER_CART = Number(process.env.EVENTARIUM_PERF_PER_CART ?? 10);

/** Starts recording the time between animation frames. */
async function recordFrames(page) {
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      window.__frameLoop = requestAnimationFrame(tick);
    };
    window.__frameLoop = requestAnimationFrame(tick);
  });
}

/** Stops recording; the median, 95th percentile and longest frame, in ms. */
async function frameStats(page) {
  const frames = await page.evaluate(() => {
    cancelAnimationFrame(window.__frameLoop);
    return window.__frames.slice(1);
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { frames: frames.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0 };
}

const show = (s) => `${s.frames} frames, median ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, longest ${s.max.toFixed(1)} ms`;

/** Milliseconds from running `act` until `ready` resolves. */
async function timed(act, ready) {
  const started = Date.now();
  await act();
  await ready();
  return Date.now() - started;
}

test(`${EVENTS} events: a generator fills the store, the page keeps answering, a rebuild shows progress`, { timeout: 15 * 60_000 }, async (t) => {
  const { page, errors } = await openApp();
  await page.getByRole('button', { name: 'Simulation' }).click();
  const generator = {
    name: 'a million',
    instances: EVENTS / PER_CART,
    streamId: 'cart-{n}',
    concurrency: 100,
    intervalMs: 1000,
    plan: { steps: [
      { command: 'OpenCart', data: { cartId: '{n}', customerId: 'c-{n}' } },
      { command: 'AddItem', repeat: [PER_CART - 1, PER_CART - 1], data: { cartId: '{n}', productId: 'p-{random:1..50}', qty: 1, unitPrice: '{random:100..900}' } },
    ] },
  };
  await page.getByLabel('Generator definition').fill(JSON.stringify(generator));
  await page.getByLabel('Speed').selectOption('1000');
  await recordFrames(page);
  const started = Date.now();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.load-status').filter({ hasText: ' · done' }).waitFor({ timeout: 12 * 60_000 });
  const seconds = (Date.now() - started) / 1000;
  const filling = await frameStats(page);
  t.diagnostic(`generator: ${EVENTS} events in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds)} events/s); frames while filling: ${show(filling)}`);
  assert.match(await page.locator('.status-bar').textContent(), new RegExp(`${EVENTS} events`));

  // Interactions with the million events loaded.
  const toWorkspace = await timed(
    () => page.getByRole('button', { name: 'Workspace', exact: true }).click(),
    () => page.getByRole('region', { name: 'Category cart' }).waitFor(),
  );
  const openStream = await timed(
    () => page.getByRole('button', { name: /^cart-1\b/ }).first().click(),
    () => page.getByRole('region', { name: 'Timeline of cart-1' }).waitFor(),
  );
  const filter = await timed(
    () => page.getByLabel('Filter streams').fill(`cart-${EVENTS / PER_CART}*`),
    () => page.getByRole('button', { name: new RegExp(`^cart-${EVENTS / PER_CART}\\b`) }).waitFor(),
  );
  await recordFrames(page);
  const view = page.locator('.timeline-view');
  for (let i = 0; i < 10; i += 1) {
    await view.evaluate((v, top) => { v.scrollTop = top; }, i * 300);
    await page.waitForTimeout(50);
  }
  const scrolling = await frameStats(page);
  const toLab = await timed(
    () => page.getByRole('button', { name: 'Projections lab' }).click(),
    () => page.getByRole('region', { name: 'Projection CartSummary' }).waitFor(),
  );
  t.diagnostic(`interactions: workspace page ${toWorkspace} ms, a stream's timeline ${openStream} ms, filter ${filter} ms, projections lab ${toLab} ms; scrolling the timeline: ${show(scrolling)}`);

  // An in-place rebuild of a read model over everything.
  const card = page.getByRole('region', { name: 'Projection ItemsAddedPerProduct' });
  await recordFrames(page);
  const rebuildStarted = Date.now();
  await card.getByRole('button', { name: 'Rebuild in place' }).click();
  await card.locator('progress').waitFor();
  const progress = await card.locator('.rebuild-progress span').textContent();
  await card.getByText('caught up').waitFor({ timeout: 10 * 60_000 });
  const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
  const rebuilding = await frameStats(page);
  t.diagnostic(`rebuild of ItemsAddedPerProduct over ${EVENTS} events: ${rebuildSeconds.toFixed(1)} s, progress shown ("${progress}"); frames while rebuilding: ${show(rebuilding)}`);
  await page.screenshot({ path: `${SHOTS}perf-million.png` });

  for (const [what, ms] of [['workspace page', toWorkspace], ['timeline', openStream], ['filter', filter], ['projections lab', toLab]]) {
    assert.ok(ms < 1000, `${what} answered in ${ms} ms`);
  }
  assert.ok(rebuilding.p95 < 200, `the page kept drawing during the rebuild: ${show(rebuilding)}`);
  assert.deepEqual(errors.filter((e) => !e.includes('Autosave')), []);
  await page.close();
});
