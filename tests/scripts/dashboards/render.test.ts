import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { renderDashboardConfigMap } from '../../../scripts/dashboards/render.ts';
import { lastAppliedConfiguration } from '../../../scripts/dashboards/go-json.ts';
import { assertGolden } from './golden.ts';

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

test('renders a dashboard with tricky characters, with the last-applied annotation', () => {
  assertGolden(renderDashboardConfigMap({ name: 'golden', dashboard: tricky, withLastApplied: true }), 'render/tricky-last-applied.yaml');
});

test('renders a dashboard without the last-applied annotation', () => {
  assertGolden(renderDashboardConfigMap({ name: 'golden', dashboard: tricky, withLastApplied: false }), 'render/tricky-no-last-applied.yaml');
});

test('renders the folder annotation, always quoted', () => {
  assertGolden(renderDashboardConfigMap({ name: 'golden', dashboard: tricky, folder: 'yes', withLastApplied: true }), 'render/tricky-folder.yaml');
});

test('disables Flux substitution when the dashboard contains ${', () => {
  assertGolden(renderDashboardConfigMap({ name: 'golden', dashboard: withVariable, folder: 'Infra', withLastApplied: true }), 'render/variable-folder.yaml');
});

test('renders minified JSON when asked to', () => {
  assertGolden(renderDashboardConfigMap({ name: 'golden', dashboard: withVariable, withLastApplied: false, minify: true }), 'render/variable-minified.yaml');
});

test('the YAML reads back as the dashboard with id null, escapes kept as JSON escapes', () => {
  const manifest = parse(renderDashboardConfigMap({ name: 'golden', dashboard: tricky, withLastApplied: true }));
  const text: string = manifest.data[key];
  assert.not.match(text, /[\u007f-\u009f\u2028\u2029]/);
  assert.ok(text.includes('\\u0085') && text.includes('\\u007f') && text.includes('\\u2028') && text.includes('\ufeff'));
  assert.equal(JSON.parse(text), { ...tricky, id: null });
});

test('the last-applied annotation is the one computed from the object the YAML denotes', () => {
  const manifest = parse(renderDashboardConfigMap({ name: 'golden', dashboard: withVariable, folder: 'Infra', withLastApplied: true }));
  const annotation = manifest.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  assert.is(annotation, lastAppliedConfiguration(manifest));
  assert.ok(annotation.endsWith('}\n'));
  assert.ok(annotation.includes('"annotations":{"grafana_folder":"Infra","kustomize.toolkit.fluxcd.io/substitute":"disabled"}'));
});

test('renders the same bytes twice', () => {
  const input = { name: 'golden', dashboard: tricky, withLastApplied: true };
  assert.is(renderDashboardConfigMap(input), renderDashboardConfigMap(input));
});

test.run();
