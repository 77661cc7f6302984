// The scenario file's JSON Schema (static/schema/scenario.schema.json) against real documents: the
// built-in scenarios must conform, and documents the Rust importer rejects for their shape must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const read = (path) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(read('static/schema/scenario.schema.json'));

for (const name of ['shopping-cart', 'hotel-guest-stay', 'concert-ticketing']) {
  test(`the built-in ${name} scenario conforms to the schema`, () => {
    const ok = validate(read(`static/scenarios/${name}.eventarium.json`));
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });
}

test('documents with a wrong shape do not conform', () => {
  const base = read('static/scenarios/shopping-cart.eventarium.json');
  const cases = [
    ['unknown field type', (d) => (d.model.eventTypes[0].versions[0].fields[0].type = 'strng')],
    ['wrong format name', (d) => (d.format = 'something-else')],
    ['missing name', (d) => delete d.name],
    ['visibility not private or public', (d) => (d.model.eventTypes[0].visibility = 'secret')],
    ['unknown top-level key', (d) => (d.extra = 1)],
  ];
  for (const [name, mutate] of cases) {
    const doc = structuredClone(base);
    mutate(doc);
    assert.equal(validate(doc), false, `${name} should be rejected`);
  }
});
