// The dashboards that ship inside the repository through the whole pure pipeline, so that a plain
// clone (no corpus beside it) still covers what must always be covered: a dashboard over the
// 256 KiB annotation limit (Node Exporter Full), `${DS_…}` inputs and legacy `rows`.
// real-dashboards.test.ts does the same for the optional corpus.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { parseDashboardExport, type Dashboard } from '../../../scripts/dashboards/read-export.ts';
import { validateDashboard } from '../../../scripts/dashboards/validate.ts';
import { classifyDashboard } from '../../../scripts/dashboards/classify.ts';
import { checkInputs, rewriteInputs, unresolvedInputs } from '../../../scripts/dashboards/inputs.ts';
import { planDashboardConfigMap } from '../../../scripts/dashboards/plan-configmap.ts';
import { dashboardInfo } from '../../../scripts/dashboards/report.ts';
import { lastAppliedConfiguration } from '../../../scripts/dashboards/go-json.ts';
import { readFixtureDashboard, repoDashboard, repoDashboardNames } from '../../helpers/repo-dashboards.ts';
import { assertKustomizeReadsBack } from '../../helpers/kustomize-readback.ts';

type Expected = {
  category: string; plugins: string[]; unresolved: string[]; withLastApplied: boolean; panels: number; dataBytes: number; annotationsBytes: number;
};
// The ConfigMaps under infrastructure/logging/dashboards/ by dashboard name, then the fixture exports.
const EXPECTED: Record<string, Expected> = {
  'flux-control-plane': { category: 'prometheus', plugins: ['prometheus'], unresolved: [], withLastApplied: true, panels: 16, dataBytes: 42114, annotationsBytes: 48016 },
  'flux-logs': { category: 'loki', plugins: ['loki'], unresolved: [], withLastApplied: true, panels: 2, dataBytes: 7665, annotationsBytes: 9115 },
  'mltp-mlt': { category: 'mixed', plugins: ['loki', 'prometheus', 'tempo'], unresolved: [], withLastApplied: true, panels: 8, dataBytes: 23016, annotationsBytes: 26463 },
  'node-exporter': { category: 'prometheus', plugins: ['prometheus'], unresolved: [], withLastApplied: false, panels: 125, dataBytes: 467581, annotationsBytes: 46 },
  'tempo-traces-overview': { category: 'tempo', plugins: ['tempo'], unresolved: [], withLastApplied: true, panels: 5, dataBytes: 10788, annotationsBytes: 12588 },
  'exported-externally.json': {
    category: 'mixed', plugins: ['loki', 'prometheus', 'tempo'], withLastApplied: true, panels: 3, dataBytes: 2513, annotationsBytes: 3249,
    unresolved: ['DS_GRAFANACLOUD-EXAMPLE1-PROM', 'DS_GRAFANACLOUD-EXAMPLE1-LOGS', 'DS_GRAFANACLOUD-EXAMPLE1-TRACES'],
  },
  'legacy-rows.json': { category: 'prometheus', plugins: ['prometheus'], unresolved: ['DS_LOCALHOST'], withLastApplied: true, panels: 3, dataBytes: 1949, annotationsBytes: 2586 },
};
const FIXTURES = ['exported-externally.json', 'legacy-rows.json'];

const nameOf = (key: string) => key.replace(/\.json$/, '');

function original(key: string): Dashboard {
  if (!key.endsWith('.json')) return repoDashboard(key);
  const { dashboard, format, warnings } = parseDashboardExport(Buffer.from(readFixtureDashboard(key)), key);
  assert.equal([format, warnings], ['classic', []], key);
  return dashboard;
}

// What the task would write for `key`, with --rewrite-inputs where the export needs it.
function prepare(key: string): { dashboard: Dashboard; original: Dashboard } {
  const dashboard = original(key);
  validateDashboard(dashboard, key);
  return { original: dashboard, dashboard: unresolvedInputs(dashboard).length > 0 ? rewriteInputs(dashboard).dashboard : dashboard };
}

const keys = [...repoDashboardNames(), ...FIXTURES];

test('the table covers every dashboard ConfigMap in the repository and the fixtures', () => {
  assert.equal(keys, Object.keys(EXPECTED));
});

test('Node Exporter Full is over the annotation limit: no last-applied, so it is applied server-side', () => {
  const plan = planDashboardConfigMap({ name: 'node-exporter', dashboard: repoDashboard('node-exporter'), sourcePath: 'node-exporter.json' });
  assert.is(plan.withLastApplied, false);
  assert.ok(plan.dataBytes > 262144, `${plan.dataBytes} bytes`);
});

test('legacy rows: panels and data sources are found inside rows[]', () => {
  const dashboard = original('legacy-rows.json');
  assert.is(Array.isArray(dashboard.rows) && dashboard.panels === undefined, true);
  assert.equal(dashboardInfo(dashboard), { title: 'Legacy rows (synthetic)', uid: 'legacy-rows', bytes: 1827, panels: 3, plugins: ['prometheus'], category: 'prometheus' });
});

for (const key of keys) {
  const expected = EXPECTED[key];

  test(`${key}: classifies as ${expected.category}`, () => {
    const { original } = prepare(key);
    assert.equal(classifyDashboard(original), { plugins: expected.plugins, unknown: [], category: expected.category });
    assert.is(dashboardInfo(original).panels, expected.panels);
  });

  test(`${key}: unresolved inputs are ${JSON.stringify(expected.unresolved)}`, () => {
    const { original, dashboard } = prepare(key);
    assert.equal(unresolvedInputs(original), expected.unresolved);
    if (expected.unresolved.length > 0) assert.throws(() => checkInputs(original, key), /exported "for sharing externally"/);
    else checkInputs(original, key);
    // After the rewrite every placeholder is a template variable, even measured against the original __inputs.
    assert.equal(unresolvedInputs({ ...dashboard, __inputs: original.__inputs }), []);
  });

  test(`${key}: renders ${expected.withLastApplied ? 'with' : 'without'} last-applied and reads back identically`, () => {
    const { dashboard } = prepare(key);
    const name = nameOf(key);
    const plan = planDashboardConfigMap({ name, dashboard, sourcePath: key });
    assert.equal(
      [plan.withLastApplied, plan.minified, plan.dataBytes, plan.annotationsBytes],
      [expected.withLastApplied, false, expected.dataBytes, expected.annotationsBytes],
    );
    const manifest = parse(plan.yaml);
    assert.equal(JSON.parse(manifest.data[`${name}-dashboard.json`]), { ...dashboard, id: null });
    const annotation = manifest.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    assert.is(annotation, expected.withLastApplied ? lastAppliedConfiguration(manifest) : undefined);
  });
}

test('kubectl kustomize reads every rendered file back with the same data and annotations', () => {
  assertKustomizeReadsBack(Object.fromEntries(keys.map((key) => {
    const name = nameOf(key);
    return [name, planDashboardConfigMap({ name, dashboard: prepare(key).dashboard, folder: 'Shipped', sourcePath: key }).yaml];
  })));
});

test.run();
