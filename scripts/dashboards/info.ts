// The summary the task reports about a dashboard.
import type { Dashboard } from './read-export.ts';
import { classifyDashboard, type Category, type Classification } from './classify.ts';
import { contentPanels } from './panels.ts';
import { dashboardJsonText } from './json-text.ts';
import { utf8Length } from './size.ts';

export type DashboardInfo = { title: string; uid: string; bytes: number; panels: number; plugins: string[]; category: Category };

// Title, uid, size of the (pretty) JSON text in bytes, panels (rows' children and legacy rows included, rows not), plugins
// and category; callers that already have the text or the classification pass them in.
export function dashboardInfo(
  dashboard: Dashboard,
  jsonText: string = dashboardJsonText(dashboard),
  { plugins, category }: Classification = classifyDashboard(dashboard),
): DashboardInfo {
  return {
    title: String(dashboard.title ?? ''),
    uid: String(dashboard.uid ?? ''),
    bytes: utf8Length(jsonText),
    panels: contentPanels(dashboard).length,
    plugins,
    category,
  };
}
