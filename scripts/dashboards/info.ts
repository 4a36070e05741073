// The summary the task reports about a dashboard.
import type { Dashboard } from './read-export.ts';
import type { Category } from './classify.ts';
import { classifyDashboard } from './classify.ts';
import { contentPanels } from './panels.ts';
import { dashboardJsonText } from './json-text.ts';
import { utf8Length } from './size.ts';

export type DashboardInfo = { title: string; uid: string; bytes: number; panels: number; plugins: string[]; category: Category };

// Title, uid, size of the JSON text in bytes, panels (rows' children and legacy rows included, rows not), plugins and category.
export function dashboardInfo(dashboard: Dashboard, jsonText: string = dashboardJsonText(dashboard)): DashboardInfo {
  const { plugins, category } = classifyDashboard(dashboard);
  return {
    title: String(dashboard.title ?? ''),
    uid: String(dashboard.uid ?? ''),
    bytes: utf8Length(jsonText),
    panels: contentPanels(dashboard).length,
    plugins,
    category,
  };
}
