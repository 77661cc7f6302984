// Helpers the JS API tests share (not a test file: node --test picks up *.test.mjs only).
import assert from 'node:assert/strict';

/** Runs `fn`, which must throw a JS Error with `code`; returns the error. */
export function throwsCode(fn, code) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Error, `an Error, got ${err}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected an error with code ${code}`);
}
