import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TaskError } from '../../../scripts/core/errors.ts';
import { validateDashboard } from '../../../scripts/dashboards/validate.ts';

function message(dashboard: Record<string, unknown>): string {
  try {
    validateDashboard(dashboard, 'tmp/dashboard.json');
  } catch (error) {
    assert.instance(error, TaskError);
    return (error as Error).message;
  }
  return 'valid';
}

test('accepts a minimal dashboard', () => {
  assert.is(message({ title: 'A', uid: 'a', panels: [], schemaVersion: 39, templating: { list: [] } }), 'valid');
});

test('refuses a dashboard without a uid', () => {
  assert.is(message({ title: 'A' }), 'tmp/dashboard.json is not a usable Grafana dashboard:\n  /: the "uid" property is missing (add e.g. "uid": "my-dashboard": 1–40 letters, digits, "_" or "-")');
});

test('refuses a dashboard without a title', () => {
  assert.is(message({ uid: 'a' }), 'tmp/dashboard.json is not a usable Grafana dashboard:\n  /: the "title" property is missing');
});

test('refuses an empty title', () => {
  assert.is(message({ title: ' ', uid: 'a' }), 'tmp/dashboard.json is not a usable Grafana dashboard:\n  /title: must be a non-empty string');
});

test('refuses a bad uid', () => {
  assert.is(message({ title: 'A', uid: 'a/b' }), 'tmp/dashboard.json is not a usable Grafana dashboard:\n  /uid: "a/b" is not a valid uid (1–40 letters, digits, "_" or "-")');
  assert.is(message({ title: 'A', uid: 'x'.repeat(41) }), `tmp/dashboard.json is not a usable Grafana dashboard:\n  /uid: "${'x'.repeat(41)}" is not a valid uid (1–40 letters, digits, "_" or "-")`);
  assert.is(message({ title: 'A', uid: 'x'.repeat(40) }), 'valid');
});

test('lists every problem with its JSON pointer', () => {
  assert.is(
    message({ title: 3, panels: {}, rows: 'x', templating: { list: {} }, schemaVersion: 1.5 }),
    [
      'tmp/dashboard.json is not a usable Grafana dashboard:',
      '  /: the "uid" property is missing (add e.g. "uid": "my-dashboard": 1–40 letters, digits, "_" or "-")',
      '  /title: must be a non-empty string',
      '  /panels: must be array',
      '  /rows: must be array',
      '  /templating/list: must be array',
      '  /schemaVersion: must be integer',
    ].join('\n'),
  );
});

test.run();
