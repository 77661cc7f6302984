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

/** Opens the built-in concert system on the System page, with a concert on sale. */
async function concertOnSale() {
  const { page, errors } = await openApp({ keepPicker: true });
  await page.getByRole('button', { name: 'Start with Concert ticketing' }).click();
  // A concert on sale, so that checkouts hold seats and go on to payments and tickets.
  await page.getByRole('button', { name: 'System map' }).click();
  await send(page, 'concerts', 'ScheduleConcert', 'concert-warsaw', {
    concertId: 'warsaw', name: 'Renaissance', artist: 'Beyoncé', venue: 'PGE Narodowy', startsAt: '2023-06-27T20:00:00Z',
    tiers: [{ tier: 'standing', price: 25000, capacity: 1000000 }],
  });
  await page.getByRole('button', { name: 'Until idle' }).click();
  return { page, errors };
}

/** Sends a command from the System page's module console, in `correlation`'s chain if given. */
async function send(page, module, command, stream, data, correlation = '') {
  const console = page.getByRole('form', { name: 'Module console' });
  await console.getByLabel('Module', { exact: true }).selectOption(module);
  await console.getByLabel('Module command').selectOption(command);
  await console.getByLabel('Stream or row id').fill(stream);
  await console.getByLabel('Correlation id').fill(correlation);
  await console.getByLabel('Command data').fill(JSON.stringify(data));
  await console.getByRole('button', { name: 'Send' }).click();
  await console.getByRole('status').filter({ hasText: `${command} accepted` }).waitFor();
}

test(`the System page keeps drawing while its clock plays under load (${SECONDS} s each)`, { timeout: 10 * 60_000 }, async (t) => {
  const { page, errors } = await concertOnSale();

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

const CHECKOUTS = Number(process.env.EVENTARIUM_PERF_CHECKOUTS ?? 30);

test(`a correlation of ${CHECKOUTS} checkouts opens as a causal graph that zooms and pans`, { timeout: 10 * 60_000 }, async (t) => {
  const { page, errors } = await concertOnSale();
  for (let k = 0; k < CHECKOUTS; k += 1) {
    const cart = `cart-b${k}`;
    await send(page, 'carts', 'OpenCart', cart, { cartId: `b${k}`, customerId: 'u-2' }, 'busy');
    await send(page, 'carts', 'AddTickets', cart,
      { cartId: `b${k}`, concertId: 'warsaw', tier: 'standing', quantity: 1, unitPrice: 25000 }, 'busy');
    await send(page, 'carts', 'ConfirmCart', cart, { cartId: `b${k}`, email: 'grace@example.com' }, 'busy');
  }
  await page.getByRole('button', { name: 'Until idle' }).click();

  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.getByLabel('Correlation or event id').fill('busy');
  const asked = Date.now();
  await trace.getByRole('button', { name: 'Trace', exact: true }).click();
  const graph = page.getByRole('group', { name: 'Causal graph of busy' });
  await graph.locator('[data-node]').first().waitFor();
  const opened = Date.now() - asked;
  const nodes = await graph.locator('[data-node]').count();
  await graph.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}bench-graph-opened.png` });

  // Zoom in with the wheel and pan by dragging, while the frames are recorded.
  const box = await graph.boundingBox();
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const recording = frames(page, 3000);
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 6; i += 1) {
    await page.mouse.wheel(0, -100);
    await page.waitForTimeout(50);
  }
  await page.mouse.down();
  for (let i = 0; i < 40; i += 1) {
    await page.mouse.move(cx - i * 10, cy - i * 3);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  const moving = await recording;

  // Click a node: the inspector below names it.
  const node = graph.locator('[data-node]').nth(Math.floor(nodes / 2));
  const clicked = Date.now();
  await node.dispatchEvent('click');
  await page.locator('.graph-selected').waitFor();
  const inspected = Date.now() - clicked;
  await page.screenshot({ path: `${SHOTS}bench-graph-zoomed.png` });
  t.diagnostic(`graph of ${nodes} nodes: opened in ${opened} ms, a node inspected in ${inspected} ms`);
  t.diagnostic(`zooming and panning: ${show(moving)}`);
  assert.ok(nodes >= 500, `${nodes} nodes`);
  assert.deepEqual(errors, []);
  await page.close();
});
