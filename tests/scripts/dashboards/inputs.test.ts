import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TaskError } from '../../../scripts/core/errors.ts';
import { checkInputs, libraryPanelWarnings, rewriteInputs, unresolvedInputs } from '../../../scripts/dashboards/inputs.ts';

const shared = {
  __inputs: [
    { name: 'DS_PROM-1', label: 'prom', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' },
    { name: 'DS_LOKI', label: 'loki', type: 'datasource', pluginId: 'loki', pluginName: 'Loki' },
    { name: 'VAR_ENV', label: 'env', type: 'constant', value: 'prod' },
    { name: 'DS_UNUSED', type: 'datasource', pluginId: 'tempo', pluginName: 'Tempo' },
  ],
  __requires: [{ type: 'datasource', id: 'prometheus' }],
  title: 'T',
  uid: 'u',
  templating: { list: [{ name: 'DS_LOKI', type: 'datasource', query: 'loki' }] },
  panels: [
    { datasource: { type: 'prometheus', uid: '${DS_PROM-1}' }, targets: [{ expr: 'up{env="${VAR_ENV}"}' }] },
    { datasource: '${DS_LOKI}' },
  ],
};

test('finds ${NAME} placeholders of inputs that are not variables, hyphens included', () => {
  assert.equal(unresolvedInputs(shared), ['DS_PROM-1', 'VAR_ENV']);
});

test('finds nothing in a dashboard without __inputs', () => {
  assert.equal(unresolvedInputs({ title: 'T', uid: 'u', panels: [{ datasource: '${DS_X}' }] }), []);
});

test('refuses unresolved inputs and names the flag that fixes them', () => {
  try {
    checkInputs(shared, 'tmp/dashboard.json');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.is(
      (error as TaskError).message,
      'tmp/dashboard.json was exported "for sharing externally": ${DS_PROM-1}, ${VAR_ENV} are placeholders that only Grafana\'s import dialog fills in. ' +
        'Provisioned from a ConfigMap, panels would fail with "Datasource ${…} was not found".',
    );
    assert.is((error as TaskError).hint, 'Re-run with --rewrite-inputs to turn them into dashboard variables, or export again with "Export for sharing externally" switched off.');
  }
});

test('rewrites inputs into variables placed first, renaming hyphenated names', () => {
  const { dashboard, renamed } = rewriteInputs(shared);
  assert.equal(renamed, { 'DS_PROM-1': 'DS_PROM_1' });
  assert.equal(dashboard, {
    title: 'T',
    uid: 'u',
    templating: {
      list: [
        { current: {}, hide: 0, includeAll: false, label: 'Prometheus', multi: false, name: 'DS_PROM_1', options: [], query: 'prometheus', refresh: 1, regex: '', skipUrlSync: false, type: 'datasource' },
        { current: { selected: false, text: 'prod', value: 'prod' }, hide: 2, label: 'env', name: 'VAR_ENV', options: [{ selected: true, text: 'prod', value: 'prod' }], query: 'prod', skipUrlSync: false, type: 'constant' },
        { name: 'DS_LOKI', type: 'datasource', query: 'loki' },
      ],
    },
    panels: [
      { datasource: { type: 'prometheus', uid: '${DS_PROM_1}' }, targets: [{ expr: 'up{env="${VAR_ENV}"}' }] },
      { datasource: '${DS_LOKI}' },
    ],
  });
});

test('does not touch the input dashboard', () => {
  const before = structuredClone(shared);
  rewriteInputs(shared);
  assert.equal(shared, before);
});

test('avoids clashing with an existing variable name when renaming', () => {
  const dashboard = { title: 'T', uid: 'u', __inputs: [{ name: 'DS-A', type: 'datasource', pluginId: 'loki' }], templating: { list: [{ name: 'DS_A', type: 'textbox' }] }, panels: [{ datasource: '${DS-A}' }] };
  assert.equal(rewriteInputs(dashboard).renamed, { 'DS-A': 'DS_A_2' });
});

test('warns about library panels and __elements', () => {
  const dashboard = { title: 'T', uid: 'u', __elements: { abc: {} }, panels: [{ type: 'row', panels: [{ title: 'CPU', libraryPanel: { uid: 'abc', name: 'cpu' } }] }] };
  assert.equal(libraryPanelWarnings(dashboard), [
    'Panel "CPU" is library panel "cpu" (uid abc): it stays empty unless that library panel exists in Grafana. Unlink it before exporting to keep it.',
    'The export carries 1 library panel model(s) in __elements, which provisioning ignores.',
  ]);
  assert.equal(libraryPanelWarnings({ title: 'T', uid: 'u', __elements: {} }), []);
});

test.run();
