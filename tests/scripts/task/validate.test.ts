import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defineTask } from '../../../scripts/task/define.ts';
import { validateArgs } from '../../../scripts/task/validate.ts';

const task = defineTask({
  name: 'demo',
  summary: 'demo',
  arguments: [{ name: 'name', description: 'a name', required: true }],
  options: {
    category: { type: 'string', description: 'category', default: 'auto', choices: ['auto', 'loki', 'none'] },
    restart: { type: 'boolean', description: 'restart', default: true },
    timeout: { type: 'integer', description: 'seconds', default: 120, minimum: 1 },
    folder: { type: 'string', description: 'folder' },
  },
  run: async () => {},
});

test('fills defaults and coerces integers', () => {
  assert.equal(validateArgs(task, { values: { timeout: '30' }, positionals: ['x'] }), {
    name: 'x', category: 'auto', restart: true, timeout: 30, dryRun: false, yes: false, verbose: false, quiet: false, help: false,
  });
});

test('names a missing required argument', () => {
  assert.throws(() => validateArgs(task, { values: {}, positionals: [] }), (e: Error) => e.name === 'UsageError' && e.message === 'missing argument <name>');
});

test('lists every problem with choices, types and minimums', () => {
  try {
    validateArgs(task, { values: { category: 'tempo', timeout: 'soon' }, positionals: ['x'] });
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).name, 'UsageError');
    assert.is((error as Error).message, '--category must be one of: auto, loki, none\n--timeout must be a whole number');
  }
  assert.throws(() => validateArgs(task, { values: { timeout: '0' }, positionals: ['x'] }), /--timeout must be at least 1/);
});

test('refuses extra positional arguments', () => {
  assert.throws(() => validateArgs(task, { values: {}, positionals: ['a', 'b', 'c'] }), (e: Error) => e.message === 'unexpected arguments "b", "c"');
});

test('leaves an optional string without default undefined', () => {
  assert.is(validateArgs(task, { values: {}, positionals: ['x'] }).folder, undefined);
});

test.run();
