import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dashboardInfo } from '../../../scripts/dashboards/report.ts';
import { dashboardJsonText } from '../../../scripts/dashboards/configmap.ts';
import { repoDashboard } from '../../helpers/repo-dashboards.ts';

test('summarises node-exporter-full: 16 rows hold 110 of its 125 panels', () => {
  const dashboard = repoDashboard('node-exporter') as { panels: { type: string; panels: unknown[] }[] };
  assert.equal(dashboardInfo(dashboard), { title: 'Node Exporter Full', uid: 'rYdddlPWk', bytes: 467581, panels: 125, plugins: ['prometheus'], category: 'prometheus' });
  const rows = dashboard.panels.filter((panel: { type: string }) => panel.type === 'row');
  assert.equal([rows.length, rows.reduce((sum: number, row: { panels: unknown[] }) => sum + row.panels.length, 0)], [16, 110]);
});

test('counts panels in legacy rows and measures the given text', () => {
  const dashboard = { title: 'Old', uid: 'old', rows: [{ panels: [{ type: 'graph' }, { type: 'singlestat' }] }, { panels: [{ type: 'graph', datasource: 'Loki' }] }] };
  const text = dashboardJsonText(dashboard, { minify: true });
  assert.equal(dashboardInfo(dashboard, text), { title: 'Old', uid: 'old', bytes: text.length, panels: 3, plugins: ['loki'], category: 'loki' });
});

test.run();
