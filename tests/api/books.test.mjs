// Closing the books through the JavaScript API: the refactor's plan, applying it, the open
// periods, a closed period refusing commands, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { throwsCode } from './support.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulation } = require('../../pkg/node/eventarium.js');

const DAY = 86_400_000;
const sale = (n, amount = 100) => ({
  command: 'RecordSale',
  streamId: 'register-1',
  data: { registerId: '1', saleId: `s${n}`, amount },
});

test('closing the books of a register carries its cash into daily periods', () => {
  const sim = Simulation.builtIn('cashier-register');
  sim.execute({ command: 'OpenRegister', streamId: 'register-1', data: { registerId: '1', float: 1000 } });
  for (let n = 0; n < 5; n++) sim.execute(sale(n));

  const plan = sim.booksPlan('CashRegister', { days: 1 });
  assert.equal(plan.closedEvent, 'CashRegisterPeriodClosed');
  assert.equal(plan.tracker, 'CashRegisterPeriods');
  assert.equal(plan.streamsToClose, 1);
  assert.match(plan.diff, /\+ {3}"periods"/);

  const applied = sim.closeTheBooks('CashRegister', { days: 1 });
  assert.deepEqual(applied.closed.map((c) => [c.closed, c.opened]), [['register-1', 'register-1:1']]);
  assert.equal(applied.closed[0].state.cash, 1500);

  assert.equal(sim.execute(sale(5)).streamId, 'register-1:1');
  sim.advanceClock(DAY);
  assert.equal(sim.execute(sale(6)).streamId, 'register-1:2', 'a new day closes the period first');
  const books = sim.books();
  assert.deepEqual(books[0].bases, [{ base: 'register-1', period: 2, stream: 'register-1:2', events: 2 }]);
  const closedBy = sim.closeBooks('register-1');
  assert.equal(closedBy.opened, 'register-1:3');
  assert.equal(closedBy.state.cash, 1700);

  const refused = throwsCode(() => sim.execute({ ...sale(7), streamId: 'register-1:2' }), 'NotOpenPeriod');
  assert.equal(refused.open, 'register-1:3');
});

test('the refactor refuses what it cannot do and says why', () => {
  const sim = Simulation.builtIn('cashier-register');
  throwsCode(() => sim.booksPlan('CashRegister'), 'InvalidInput');
  throwsCode(() => sim.booksPlan('CashRegister', { weeks: 1 }), 'InvalidInput');
  const unknown = throwsCode(() => sim.booksPlan('Till', { days: 1 }), 'InvalidRefactor');
  assert.match(unknown.message, /unknown stream type "Till"/);
  throwsCode(() => sim.booksPlan('CashRegister', { days: 0 }), 'InvalidRefactor');
  sim.closeTheBooks('CashRegister', { events: 10 });
  const twice = throwsCode(() => sim.closeTheBooks('CashRegister', { events: 10 }), 'InvalidRefactor');
  assert.match(twice.message, /already closes its books/);
  throwsCode(() => sim.closeBooks('register-9'), 'StreamNotFound');
  throwsCode(() => sim.closeBooks('safe-1'), 'Unknown');
});
