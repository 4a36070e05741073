import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { categoryFor, classifyDashboard, isCategory, datasourceUse } from '../../../scripts/dashboards/classify.ts';

const base = { title: 'T', uid: 'u' };

test('finds data sources in collapsed rows', () => {
  const dashboard = { ...base, panels: [{ type: 'row', collapsed: true, panels: [{ type: 'timeseries', datasource: { type: 'loki', uid: 'L' } }] }] };
  assert.equal(classifyDashboard(dashboard), { plugins: ['loki'], unknown: [], category: 'loki' });
});

test('the panels decide the category; template variables only when no panel names a data source', () => {
  const namespaces = { name: 'namespace', type: 'query', datasource: { type: 'prometheus', uid: 'P' }, query: 'label_values(kube_pod_info, namespace)' };
  const logs = { ...base, templating: { list: [namespaces] }, panels: [{ type: 'logs', datasource: { type: 'loki', uid: 'L' }, targets: [{ expr: '{namespace="$namespace"}' }] }] };
  assert.equal(classifyDashboard(logs), { plugins: ['loki', 'prometheus'], unknown: [], category: 'loki' });
  const onlyVariables = { ...base, templating: { list: [namespaces] }, panels: [{ type: 'text', datasource: { type: 'datasource', uid: 'grafana' } }] };
  assert.equal(classifyDashboard(onlyVariables), { plugins: ['prometheus'], unknown: [], category: 'prometheus' });
});

test('finds data sources in legacy rows[].panels by name', () => {
  const dashboard = { ...base, rows: [{ panels: [{ type: 'graph', datasource: 'Tempo (prod)' }] }] };
  assert.equal(classifyDashboard(dashboard), { plugins: ['tempo'], unknown: [], category: 'tempo' });
});

test('looks at the targets of -- Mixed -- panels', () => {
  const dashboard = {
    ...base,
    panels: [{ type: 'timeseries', datasource: { type: 'datasource', uid: '-- Mixed --' }, targets: [{ datasource: { type: 'prometheus', uid: 'P' } }, { datasource: { type: 'loki', uid: 'L' } }] }],
  };
  assert.equal(classifyDashboard(dashboard), { plugins: ['loki', 'prometheus'], unknown: [], category: 'mixed' });
});

test('resolves $var, ${var}, ${var:raw} and [[var]] through datasource variables', () => {
  const dashboard = {
    ...base,
    templating: { list: [{ name: 'ds', type: 'datasource', query: 'prometheus' }, { name: 'q', type: 'query', datasource: '$ds' }] },
    panels: [{ datasource: '${ds}' }, { datasource: '[[ds]]' }, { datasource: { uid: '${ds:raw}' } }],
  };
  assert.equal(classifyDashboard(dashboard), { plugins: ['prometheus'], unknown: [], category: 'prometheus' });
});

test('resolves ${DS_X} through __inputs when it is not a variable', () => {
  const dashboard = { ...base, __inputs: [{ name: 'DS_X-1', type: 'datasource', pluginId: 'loki' }], panels: [{ datasource: '${DS_X-1}' }] };
  assert.equal(classifyDashboard(dashboard), { plugins: ['loki'], unknown: [], category: 'loki' });
});

test('drops the built-in Grafana, Dashboard and Mixed data sources', () => {
  const dashboard = {
    ...base,
    annotations: { list: [{ datasource: '-- Grafana --' }, { datasource: { type: 'grafana', uid: '-- Grafana --' } }, { datasource: { type: 'datasource', uid: 'grafana' } }] },
    panels: [{ datasource: '-- Dashboard --' }, { datasource: { type: 'datasource', uid: '-- Mixed --' } }],
  };
  assert.equal(classifyDashboard(dashboard), { plugins: [], unknown: [], category: 'none' });
});

test('reports the default data source and names it cannot resolve, as category none', () => {
  const dashboard = { ...base, panels: [{ type: 'stat' }, { datasource: 'Metrics' }, { datasource: '$missing' }] };
  assert.equal(datasourceUse(dashboard), { plugins: [], panelPlugins: [], unknown: ['$missing', 'Metrics'], usesDefault: true });
  assert.is(classifyDashboard(dashboard).category, 'none');
});

test('maps plugin sets to categories', () => {
  assert.is(categoryFor([]), 'none');
  assert.is(categoryFor(['prometheus']), 'prometheus');
  assert.is(categoryFor(['loki']), 'loki');
  assert.is(categoryFor(['tempo']), 'tempo');
  assert.is(categoryFor(['elasticsearch']), 'none');
  assert.is(categoryFor(['alertmanager', 'prometheus']), 'mixed');
});

test('knows the category names', () => {
  assert.ok(isCategory('mixed'));
  assert.not.ok(isCategory('auto'));
});

test.run();
