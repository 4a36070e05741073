// Every panel of a dashboard, wherever Grafana keeps it: top level, inside collapsed rows, and in
// the legacy `rows[].panels` layout (schemaVersion < 16).
import type { Dashboard } from './read-export.ts';

export type Panel = Record<string, unknown>;

// All panels in document order, rows included (a row is a panel with type "row").
export function allPanels(dashboard: Dashboard): Panel[] {
  const found: Panel[] = [];
  const visit = (panels: unknown) => {
    for (const panel of objects(panels)) {
      found.push(panel);
      visit(panel.panels); // a collapsed row keeps its children here
    }
  };
  visit(dashboard.panels);
  for (const row of objects(dashboard.rows)) visit(row.panels);
  return found;
}

// The panels that show something: every panel except rows.
export function contentPanels(dashboard: Dashboard): Panel[] {
  return allPanels(dashboard).filter((panel) => panel.type !== 'row');
}

// The object items of `value` when it is an array; nothing otherwise.
export function objects(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item));
}
