import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, Document, Scalar } from 'yaml';
import {
  FOLDER_ANNOTATION, configMapYaml, dashboardConfigMap, dashboardJsonText, withLastApplied, type ConfigMapManifest,
} from '../../../scripts/dashboards/configmap.ts';
import { planDashboardConfigMap } from '../../../scripts/dashboards/plan-configmap.ts';
import { LAST_APPLIED_KEY, lastAppliedConfiguration } from '../../../scripts/dashboards/go-json.ts';
import { parseDashboardExport, type Dashboard } from '../../../scripts/dashboards/read-export.ts';
import { corpusFiles, corpusTest, readCorpus } from '../../helpers/corpus.ts';
import { repoDashboard, repoDashboardNames } from '../../helpers/repo-dashboards.ts';
import { assertGolden } from '../../helpers/golden.ts';

// Every character that needs care: HTML (Go escapes it), a tab, U+2028, U+0085 (go-yaml makes it a
// space), DEL (go-yaml refuses it), U+FEFF (fine raw), and an astral character.
const tricky = {
  id: 42,
  uid: 'golden-test',
  title: 'Golden <b>&amp;</b>\u2028',
  panels: [
    { id: 1, type: 'text', title: 'HTML', options: { content: '<b>&amp;</b>\ttab' } },
    { id: 2, type: 'text', title: 'separators', options: { content: 'a\u2028b\u2029c\u0085d\u007fe\u0080f\ufeffg 😀' } },
  ],
  schemaVersion: 39,
};
const withVariable = { ...tricky, uid: 'golden-var', templating: { list: [{ name: 'ds', type: 'datasource', query: 'prometheus' }] }, panels: [{ id: 1, type: 'timeseries', datasource: { type: 'prometheus', uid: '${ds}' } }] };
const key = 'golden-dashboard.json';

// The file as dashboard-cm writes it: planDashboardConfigMap decides pretty or minified, with or without last-applied.
const render = (dashboard: Dashboard, folder?: string) => planDashboardConfigMap({ name: 'golden', dashboard, folder, sourcePath: 'export.json' }).yaml;
// A long run of filler in a rendered file, written as <filler> so the golden file stays readable.
const elide = (yaml: string) => yaml.replace(/x{1000,}|(?:0,){1000,}0/g, '<filler>');

test('renders a dashboard with tricky characters, with the last-applied annotation', () => {
  assertGolden(render(tricky), 'render/tricky-last-applied.yaml');
});

test('renders a dashboard over the annotation limit without the last-applied annotation', () => {
  assertGolden(elide(render({ ...tricky, filler: 'x'.repeat(262144) })), 'render/tricky-over-annotation-limit.yaml');
});

test('renders the folder annotation, always quoted', () => {
  assertGolden(render(tricky, 'yes'), 'render/tricky-folder.yaml');
});

test('disables Flux substitution when the dashboard contains ${', () => {
  assertGolden(render(withVariable, 'Infra'), 'render/variable-folder.yaml');
});

test('renders minified JSON when the pretty JSON is over 1 MiB', () => {
  // Pretty JSON puts each array item on its own indented line: seven bytes per 0, two minified.
  assertGolden(elide(render({ ...withVariable, filler: new Array(160000).fill(0) })), 'render/variable-over-data-limit-minified.yaml');
});

test('the YAML reads back as the dashboard with id null, escapes kept as JSON escapes', () => {
  const manifest = parse(render(tricky));
  const text: string = manifest.data[key];
  assert.not.match(text, /[\u007f-\u009f\u2028\u2029]/);
  assert.ok(text.includes('\\u0085') && text.includes('\\u007f') && text.includes('\\u2028') && text.includes('\ufeff'));
  assert.equal(JSON.parse(text), { ...tricky, id: null });
});

test('the last-applied annotation is the one computed from the object the YAML denotes', () => {
  const manifest = parse(render(withVariable, 'Infra'));
  const annotation = manifest.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  assert.is(annotation, lastAppliedConfiguration(manifest));
  assert.ok(annotation.endsWith('}\n'));
  assert.ok(annotation.includes('"annotations":{"grafana_folder":"Infra","kustomize.toolkit.fluxcd.io/substitute":"disabled"}'));
});

test('renders the same bytes twice', () => {
  assert.is(render(tricky), render(tricky));
});

// configMapYaml writes the ConfigMap by hand: it must print exactly what the yaml package prints.
const header = ['Grafana dashboard "T" (uid "u"), loaded into Grafana by the', 'second line'];

// The rendering configMapYaml replaced: a yaml Document with literal blocks and a double-quoted folder.
function viaYamlPackage(manifest: ConfigMapManifest, lines: string[]): string {
  const doc = new Document(manifest);
  doc.commentBefore = lines.map((line) => ` ${line}`).join('\n');
  for (const key of Object.keys(manifest.data)) (doc.getIn(['data', key], true) as Scalar).type = Scalar.BLOCK_LITERAL;
  const annotation = doc.getIn(['metadata', 'annotations', LAST_APPLIED_KEY], true);
  if (annotation instanceof Scalar) annotation.type = Scalar.BLOCK_LITERAL;
  const folder = doc.getIn(['metadata', 'annotations', FOLDER_ANNOTATION], true);
  if (folder instanceof Scalar) folder.type = Scalar.QUOTE_DOUBLE;
  return doc.toString({ lineWidth: 0 });
}

const trickyText = 'a\u2028b\u2029c\u0085d\u007fe\u0080f\ufeffg 😀 <b>&amp;</b>\t\n\r\b\f\u0000\u001b"\\ \ud800 x\udc00 ${x} \\n';
const trickyDashboard = { uid: 'tricky', title: trickyText, panels: [{ type: 'text', options: { content: trickyText } }], [trickyText]: [trickyText, { '': '' }] };
const folders = [undefined, 'Hosts', 'yes', 'null', '123', 'a "quoted" \\ folder', "it's", 'ünï 😀 \u2028', 'x\ud800y', '- x', '#x', 'a: b', '---', 'a \\n b'];

// Compares configMapYaml with the yaml package for each dashboard (every folder for the last one,
// three for the others), minified or not, with or without last-applied; returns how many.
function compareWithYamlPackage(dashboards: Dashboard[]): number {
  let compared = 0;
  for (const [i, dashboard] of dashboards.entries()) {
    for (const folder of i === dashboards.length - 1 ? folders : folders.slice(0, 3)) {
      for (const minify of [false, true]) {
        const manifest = dashboardConfigMap({ name: `d${i}`, jsonText: dashboardJsonText(dashboard, { minify }), folder });
        for (const variant of [manifest, withLastApplied(manifest)]) {
          assert.fixture(configMapYaml(variant, header), viaYamlPackage(variant, header));
          compared++;
        }
      }
    }
  }
  return compared;
}

test('prints the same bytes as the yaml package for every dashboard in the repository, folder, minified or not, with or without last-applied', () => {
  assert.ok(compareWithYamlPackage([...repoDashboardNames().map(repoDashboard), trickyDashboard]) > 100);
});

corpusTest(test)('prints the same bytes as the yaml package for every corpus dashboard, folder, minified or not, with or without last-applied', () => {
  const dashboards = corpusFiles().map((file) => parseDashboardExport(readCorpus(file), file).dashboard);
  assert.ok(compareWithYamlPackage([...dashboards, trickyDashboard]) > 100);
});

test('quotes names and values that YAML would read as numbers, booleans or null', () => {
  const manifest = dashboardConfigMap({ name: '1e5', jsonText: '{}\n' });
  for (const value of ['1', '0x1f', '0o7', '1e5', '1.5', 'true', 'FALSE', 'Null', 'yes', 'a.b-c_d']) {
    const odd = { ...manifest, metadata: { ...manifest.metadata, name: value, labels: { [value]: value } } };
    assert.fixture(configMapYaml(odd, header), viaYamlPackage(odd, header));
  }
});

test('refuses, as a bug, text for which the yaml package would choose another style', () => {
  const manifest = dashboardConfigMap({ name: 'x', jsonText: '{}\n', folder: 'Tab\there' });
  assert.throws(() => configMapYaml(manifest, header), /no double-quoted YAML writer/);
  const spaced = dashboardConfigMap({ name: 'x', jsonText: ' {}\n' });
  assert.throws(() => configMapYaml(spaced, header), /no literal block writer/);
  const named = { ...spaced, metadata: { ...spaced.metadata, name: 'a b' } };
  assert.throws(() => configMapYaml(named, header), /no plain YAML writer for "a b"/);
});

test.run();
