// Every real public dashboard in the corpus (tests/helpers/corpus.ts; skipped when absent) through
// the whole pure pipeline: read, validate, classify, inputs, size decision, render, and read back
// (by `yaml` and by kubectl). shipped-dashboards.test.ts covers the repository's own dashboards.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { parseDashboardExport } from '../../../scripts/dashboards/read-export.ts';
import type { Dashboard } from '../../../scripts/dashboards/read-export.ts';
import { validateDashboard } from '../../../scripts/dashboards/validate.ts';
import { classifyDashboard } from '../../../scripts/dashboards/classify.ts';
import { checkInputs, libraryPanelWarnings, rewriteInputs, unresolvedInputs } from '../../../scripts/dashboards/inputs.ts';
import { planDashboardConfigMap } from '../../../scripts/dashboards/plan-configmap.ts';
import { dashboardInfo } from '../../../scripts/dashboards/report.ts';
import { lastAppliedConfiguration } from '../../../scripts/dashboards/go-json.ts';
import { CORPUS_PRESENT, corpusFiles, corpusTest, readCorpus } from '../../helpers/corpus.ts';
import { assertKustomizeReadsBack } from '../../helpers/kustomize-readback.ts';

type Expected = {
  category: string; plugins: string[]; unknown: string[]; unresolved: string[]; withLastApplied: boolean; panels: number;
  dataBytes: number; annotationsBytes: number;
};
// The truth for each file, decided by reading it (and its README line).
const EXPECTED: Record<string, Expected> = {
  'dotdc-k8s-addons-prometheus.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: [], withLastApplied: true, panels: 27, dataBytes: 80008, annotationsBytes: 90817 },
  'dotdc-k8s-views-nodes.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: [], withLastApplied: true, panels: 35, dataBytes: 101689, annotationsBytes: 115175 },
  'flux-control-plane.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: [], withLastApplied: true, panels: 16, dataBytes: 42114, annotationsBytes: 48016 },
  'flux-logs.json': { category: 'loki', plugins: ['loki'], unknown: [], unresolved: [], withLastApplied: true, panels: 2, dataBytes: 7665, annotationsBytes: 9115 },
  'kube-prometheus-apiserver.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: [], withLastApplied: true, panels: 17, dataBytes: 20923, annotationsBytes: 24105 },
  'mltp-cloud-exported-externally.json': {
    category: 'mixed', plugins: ['loki', 'prometheus', 'tempo'], unknown: [], withLastApplied: true, panels: 8, dataBytes: 23974, annotationsBytes: 27530,
    unresolved: ['DS_GRAFANACLOUD-EXAMPLE1-PROM', 'DS_GRAFANACLOUD-EXAMPLE1-LOGS', 'DS_GRAFANACLOUD-EXAMPLE1-TRACES'],
  },
  'mltp-mlt.json': { category: 'mixed', plugins: ['loki', 'prometheus', 'tempo'], unknown: [], unresolved: [], withLastApplied: true, panels: 8, dataBytes: 23016, annotationsBytes: 26463 },
  'percona-mysql-innodb-details.json': { category: 'none', plugins: [], unknown: ['Metrics'], unresolved: [], withLastApplied: false, panels: 258, dataBytes: 778936, annotationsBytes: 0 },
  'percona-nodes-overview.json': { category: 'none', plugins: [], unknown: ['Metrics'], unresolved: [], withLastApplied: false, panels: 81, dataBytes: 364492, annotationsBytes: 46 },
  'rfmoz-haproxy.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: [], withLastApplied: false, panels: 103, dataBytes: 359334, annotationsBytes: 46 },
  'rfmoz-node-exporter-full-old.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: ['DS_LOCALHOST'], withLastApplied: false, panels: 172, dataBytes: 564899, annotationsBytes: 46 },
  'rfmoz-node-exporter-full.json': { category: 'prometheus', plugins: ['prometheus'], unknown: [], unresolved: [], withLastApplied: false, panels: 125, dataBytes: 467581, annotationsBytes: 46 },
};

// Without the corpus the same tests are declared, as skipped.
const files = CORPUS_PRESENT ? corpusFiles() : Object.keys(EXPECTED).sort();
const test = corpusTest(uvuTest);
const nameOf = (file: string) => file.replace(/\.json$/, '');

// What the task would write for `file`, with the user's fixes applied where the file needs them.
function prepare(file: string): { dashboard: Dashboard; original: Dashboard } {
  const { dashboard: original, format, warnings } = parseDashboardExport(readCorpus(file), file);
  assert.equal([format, warnings], ['classic', []], file);
  let dashboard = original;
  if (file === 'rfmoz-node-exporter-full-old.json') dashboard = { ...dashboard, uid: 'node-exporter-full-old' }; // see the uid test
  validateDashboard(dashboard, file);
  if (unresolvedInputs(dashboard).length > 0) dashboard = rewriteInputs(dashboard).dashboard;
  return { dashboard, original };
}

test('the table covers every shared dashboard', () => {
  assert.equal(files, Object.keys(EXPECTED).sort());
});

test('node-exporter-full-old has no uid and is refused until one is added', () => {
  const { dashboard } = parseDashboardExport(readCorpus('rfmoz-node-exporter-full-old.json'), 'old.json');
  assert.throws(() => validateDashboard(dashboard, 'old.json'), /the "uid" property is missing/);
});

for (const file of files) {
  const expected = EXPECTED[file];

  test(`${file}: classifies as ${expected.category}`, () => {
    const { original } = prepare(file);
    assert.equal(classifyDashboard(original), { plugins: expected.plugins, unknown: expected.unknown, category: expected.category });
    assert.is(dashboardInfo(original).panels, expected.panels);
    assert.equal(libraryPanelWarnings(original), []);
  });

  test(`${file}: unresolved inputs are ${JSON.stringify(expected.unresolved)}`, () => {
    const { original, dashboard } = prepare(file);
    assert.equal(unresolvedInputs(original), expected.unresolved);
    if (expected.unresolved.length > 0) assert.throws(() => checkInputs(original, file), /exported "for sharing externally"/);
    else checkInputs(original, file);
    // After the rewrite every placeholder is a template variable, even measured against the original __inputs.
    assert.equal(unresolvedInputs({ ...dashboard, __inputs: original.__inputs }), []);
    assert.is(JSON.stringify(dashboard).includes('${DS_GRAFANACLOUD-'), false);
  });

  test(`${file}: renders ${expected.withLastApplied ? 'with' : 'without'} last-applied and reads back identically`, () => {
    const { dashboard } = prepare(file);
    const name = nameOf(file);
    const plan = planDashboardConfigMap({ name, dashboard, sourcePath: file });
    assert.equal(
      [plan.withLastApplied, plan.minified, plan.dataBytes, plan.annotationsBytes],
      [expected.withLastApplied, false, expected.dataBytes, expected.annotationsBytes],
    );
    const manifest = parse(plan.yaml);
    const data: string = manifest.data[`${name}-dashboard.json`];
    assert.equal(JSON.parse(data), { ...dashboard, id: null });
    const annotation = manifest.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    assert.is(annotation, expected.withLastApplied ? lastAppliedConfiguration(manifest) : undefined);
    assert.is(planDashboardConfigMap({ name, dashboard, sourcePath: file }).yaml, plan.yaml);
  });
}

test('kubectl kustomize reads every rendered file back with the same data and annotations', () => {
  assertKustomizeReadsBack(Object.fromEntries(files.map((file) => {
    const name = nameOf(file);
    return [name, planDashboardConfigMap({ name, dashboard: prepare(file).dashboard, folder: 'Shared', sourcePath: file }).yaml];
  })));
});

uvuTest.run();
