// The category folder a dashboard belongs in, from the data source plugins it uses.
import type { Dashboard } from './read-export.ts';
import { datasourceUse } from './datasources.ts';

export const CATEGORIES = ['prometheus', 'loki', 'tempo', 'mixed', 'none'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Classification = { plugins: string[]; unknown: string[]; category: Category };

// One plugin among prometheus/loki/tempo → that; two or more plugins → mixed; otherwise none.
// NOTE: a dashboard on the default data source (all Percona ones) or on names we cannot resolve
// ("Metrics") is 'none', not 'prometheus': guessing would file it wrong if the default changes.
export function categoryFor(plugins: string[]): Category {
  if (plugins.length >= 2) return 'mixed';
  const [only] = plugins;
  return only === 'prometheus' || only === 'loki' || only === 'tempo' ? only : 'none';
}

// The plugins, unresolved data source names and category of `dashboard`.
export function classifyDashboard(dashboard: Dashboard): Classification {
  const { plugins, unknown } = datasourceUse(dashboard);
  return { plugins, unknown, category: categoryFor(plugins) };
}

// True when `value` names a category (for --category).
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
