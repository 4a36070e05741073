import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TaskError } from '../../../scripts/core/errors.ts';
import { MAX_ANNOTATIONS_BYTES, MAX_DATA_BYTES, annotationsBytes, dataBytes, fitDashboardText, utf8Length, planDashboardConfigMap } from '../../../scripts/dashboards/plan-configmap.ts';
import { dashboardJsonText } from '../../../scripts/dashboards/configmap.ts';

const padded = (pad: number, extra: Record<string, unknown> = {}) => ({ title: 'T', uid: 'u', ...extra, pad: 'x'.repeat(pad) });
// The pad that makes `measure(padded(pad))` exactly `target` (each "x" adds one byte everywhere we measure).
const padFor = (target: number, measure: (pad: number) => number) => target - measure(0);

test('counts UTF-8 bytes, as the apiserver does', () => {
  assert.is(utf8Length('aé漢😀'), 1 + 2 + 3 + 4);
  assert.is(annotationsBytes({ ab: 'cde', é: '' }), 7);
  assert.is(dataBytes({ a: 'xyz', b: 'é' }), 5);
});

test('keeps the last-applied annotation when the annotations total exactly 262144 bytes', () => {
  const measure = (pad: number) => planDashboardConfigMap({ name: 'n', dashboard: padded(pad), sourcePath: 'f' }).annotationsBytes;
  const pad = padFor(MAX_ANNOTATIONS_BYTES, measure);
  const fits = planDashboardConfigMap({ name: 'n', dashboard: padded(pad), sourcePath: 'f' });
  assert.is(fits.annotationsBytes, 262144);
  assert.equal([fits.withLastApplied, fits.serverSide, fits.notes], [true, false, []]);
  const over = planDashboardConfigMap({ name: 'n', dashboard: padded(pad + 1), sourcePath: 'f' });
  assert.equal([over.withLastApplied, over.serverSide, over.annotationsBytes], [false, true, 0]);
  assert.equal(over.notes, [
    "With kubectl's last-applied-configuration annotation the annotations would be 262145 bytes, over the 262144-byte limit: " +
      'the ConfigMap is written without it and applied with kubectl apply --server-side.',
  ]);
  assert.not.match(over.yaml, 'last-applied-configuration:');
});

test('pretty JSON of exactly 1048576 bytes stays pretty, one byte more is minified', () => {
  const pad = padFor(MAX_DATA_BYTES, (p) => utf8Length(dashboardJsonText(padded(p))));
  assert.equal(fitDashboardText(padded(pad), 'f').minified, false);
  assert.is(utf8Length(fitDashboardText(padded(pad), 'f').text), 1048576);
  const over = fitDashboardText(padded(pad + 1), 'f');
  assert.equal([over.minified, over.text], [true, dashboardJsonText(padded(pad + 1), { minify: true })]);
});

test('minified JSON of exactly 1048576 bytes is accepted, 1048577 refused with a hint to split', () => {
  const pad = padFor(MAX_DATA_BYTES, (p) => utf8Length(dashboardJsonText(padded(p), { minify: true })));
  assert.is(utf8Length(fitDashboardText(padded(pad), 'f').text), 1048576);
  try {
    fitDashboardText(padded(pad + 1), 'tmp/dashboard.json');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.is((error as TaskError).message, 'tmp/dashboard.json is too big for a ConfigMap: 1048577 bytes even minified, over the 1048576-byte (1 MiB) limit.');
    assert.is((error as TaskError).hint, 'Split the dashboard into smaller ones (e.g. one per row) and add each with its own name.');
  }
});

test.run();
