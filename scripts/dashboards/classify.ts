// The category folder a dashboard belongs in: every panel wherever Grafana keeps it, every data
// source reference resolved to a plugin id, and the category those plugins make.
import type { Dashboard } from './read-export.ts';
import { CATEGORIES, SOURCE_CATEGORIES, type Category } from './categories.ts';

// --- Panels --------------------------------------------------------------------------------------
// Top level, inside collapsed rows, and in the legacy `rows[].panels` layout (schemaVersion < 16).

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

// --- Data sources --------------------------------------------------------------------------------
// Which data source plugins a dashboard uses: every datasource reference (panels, nested and
// legacy rows, targets, template variables, annotations) resolved to a plugin id.

// `panelPlugins`: the plugins that panels and their queries name (the others come from template
// variables and annotations).
export type DatasourceUse = { plugins: string[]; panelPlugins: string[]; unknown: string[]; usesDefault: boolean };

// Grafana's built-in pseudo data sources: they say nothing about where the data lives.
const BUILT_IN = new Set(['grafana', '-- grafana --', '-- dashboard --', '-- mixed --', 'datasource']);
// Legacy references by data source name: a name containing one of these means that plugin.
const NAME_HINTS: readonly string[] = SOURCE_CATEGORIES;
// $var, ${var}, ${var:format}, [[var]], [[var:format]]
const VARIABLE_REF = /^(?:\$(\w+)|\$\{([^}:.]+)(?:[.:][^}]*)?\}|\[\[([^\]:]+)(?::[^\]]*)?\]\])$/;

type Resolved = { plugin: string } | { unknown: string } | 'default' | 'built-in';

// The sorted plugin ids the dashboard uses, names we could not resolve, and whether it relies on the default data source.
export function datasourceUse(dashboard: Dashboard): DatasourceUse {
  const variables = new Map<string, string>();
  for (const variable of objects(asObject(dashboard.templating).list)) {
    if (variable.type === 'datasource' && typeof variable.name === 'string' && typeof variable.query === 'string') {
      variables.set(variable.name, variable.query);
    }
  }
  for (const input of objects(dashboard.__inputs)) {
    if (input.type !== 'datasource' || typeof input.name !== 'string' || typeof input.pluginId !== 'string') continue;
    if (!variables.has(input.name)) variables.set(input.name, input.pluginId);
  }
  const { panels, others } = references(dashboard);
  const fromPanels = panels.map((ref) => resolve(ref, variables));
  const results = [...fromPanels, ...others.map((ref) => resolve(ref, variables))];
  for (const pluginId of variables.values()) results.push({ plugin: pluginId.toLowerCase() });
  const pluginsOf = (list: Resolved[]) => sortedUnique(list.flatMap((r) => (typeof r === 'object' && 'plugin' in r ? [r.plugin] : [])));
  return {
    plugins: pluginsOf(results),
    panelPlugins: pluginsOf(fromPanels),
    unknown: sortedUnique(results.flatMap((r) => (typeof r === 'object' && 'unknown' in r ? [r.unknown] : []))),
    usesDefault: results.includes('default'),
  };
}

function references(dashboard: Dashboard): { panels: unknown[]; others: unknown[] } {
  const panels: unknown[] = [];
  const others: unknown[] = [];
  for (const panel of allPanels(dashboard)) {
    if (panel.type !== 'row' || panel.datasource != null) panels.push(panel.datasource);
    for (const target of objects(panel.targets)) if ('datasource' in target) panels.push(target.datasource);
  }
  for (const variable of objects(asObject(dashboard.templating).list)) {
    if (variable.type === 'query' || 'datasource' in variable) others.push(variable.datasource);
  }
  for (const annotation of objects(asObject(dashboard.annotations).list)) others.push(annotation.datasource);
  return { panels, others };
}

function resolve(ref: unknown, variables: Map<string, string>): Resolved {
  if (ref === null || ref === undefined || ref === '') return 'default';
  if (typeof ref === 'string') return resolveName(ref, variables);
  if (typeof ref !== 'object' || Array.isArray(ref)) return { unknown: JSON.stringify(ref) };
  const { type, uid } = ref as Record<string, unknown>;
  if (typeof uid === 'string' && BUILT_IN.has(uid.toLowerCase())) return 'built-in';
  if (typeof type === 'string' && type !== '') return type === 'datasource' ? 'built-in' : { plugin: type.toLowerCase() };
  return typeof uid === 'string' ? resolveName(uid, variables) : 'default';
}

function resolveName(name: string, variables: Map<string, string>): Resolved {
  if (BUILT_IN.has(name.toLowerCase())) return 'built-in';
  const match = VARIABLE_REF.exec(name);
  if (match) {
    const pluginId = variables.get(match[1] ?? match[2] ?? match[3]);
    return pluginId ? { plugin: pluginId.toLowerCase() } : { unknown: name };
  }
  const hint = NAME_HINTS.find((plugin) => name.toLowerCase().includes(plugin));
  return hint ? { plugin: hint } : { unknown: name };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

// --- Category ------------------------------------------------------------------------------------

export { CATEGORIES, type Category } from './categories.ts';
export type Classification = { plugins: string[]; unknown: string[]; category: Category };

// One plugin among prometheus/loki/tempo → that; two or more plugins → mixed; otherwise none.
// NOTE: a dashboard on the default data source (all Percona ones) or on names we cannot resolve
// ("Metrics") is 'none', not 'prometheus': guessing would file it wrong if the default changes.
export function categoryFor(plugins: string[]): Category {
  if (plugins.length >= 2) return 'mixed';
  const [only] = plugins;
  return (SOURCE_CATEGORIES as readonly string[]).includes(only) ? (only as Category) : 'none';
}

// The plugins, unresolved data source names and category of `dashboard`. The category follows
// what the panels show; template variables and annotations decide only when no panel names a
// data source (a Loki log dashboard whose `namespace` variable queries Prometheus is loki).
export function classifyDashboard(dashboard: Dashboard): Classification {
  const { plugins, panelPlugins, unknown } = datasourceUse(dashboard);
  return { plugins, unknown, category: categoryFor(panelPlugins.length > 0 ? panelPlugins : plugins) };
}

// True when `value` names a category (for --category).
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
