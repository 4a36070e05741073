// "Export for sharing externally" leaves ${DS_…} placeholders listed in `__inputs` that only
// Grafana's import dialog fills in; file provisioning keeps them as they are (grafana/grafana#10786).
import { TaskError } from '../core/errors.ts';
import type { Dashboard } from './read-export.ts';
import { allPanels, objects } from './classify.ts';

type Input = { name: string; type: string; pluginId?: string; pluginName?: string; label?: string; value?: string };

// `${NAME}` placeholders whose NAME is an `__inputs` entry but not a template variable, in `__inputs` order.
// NOTE: names may contain "-" (DS_GRAFANACLOUD-EXAMPLE1-PROM), so match the literal names, not a pattern.
export function unresolvedInputs(dashboard: Dashboard): string[] {
  const variables = new Set(variableNames(dashboard));
  const { __inputs: _inputs, ...rest } = dashboard;
  const strings = collectStrings(rest);
  return inputs(dashboard)
    .map((input) => input.name)
    .filter((name) => !variables.has(name) && strings.some((s) => s.includes(`\${${name}}`)));
}

// Throws a TaskError naming the unresolved placeholders and the way out; quiet when there are none.
export function checkInputs(dashboard: Dashboard, sourcePath: string, rewriteFlag = '--rewrite-inputs'): void {
  const names = unresolvedInputs(dashboard);
  if (names.length === 0) return;
  const list = names.map((name) => `\${${name}}`).join(', ');
  throw new TaskError(
    `${sourcePath} was exported "for sharing externally": ${list} ${names.length === 1 ? 'is a placeholder' : 'are placeholders'} ` +
      `that only Grafana's import dialog fills in. Provisioned from a ConfigMap, panels would fail with "Datasource ${'${'}…} was not found".`,
    { hint: `Re-run with ${rewriteFlag} to turn them into dashboard variables, or export again with "Export for sharing externally" switched off.` },
  );
}

// A copy of `dashboard` where each unresolved input is a template variable (data source inputs become
// `datasource` variables, `VAR_*` constants `constant` ones), placed first; `__inputs`/`__requires` dropped.
// NOTE: Grafana only interpolates \w+ variable names, so "-" and other characters become "_".
export function rewriteInputs(dashboard: Dashboard): { dashboard: Dashboard; renamed: Record<string, string> } {
  const unresolved = new Set(unresolvedInputs(dashboard));
  const taken = new Set(variableNames(dashboard));
  const renamed: Record<string, string> = {};
  const added: Record<string, unknown>[] = [];
  for (const input of inputs(dashboard).filter((i) => unresolved.has(i.name))) {
    const name = uniqueName(input.name.replace(/\W/g, '_'), taken);
    if (name !== input.name) renamed[input.name] = name;
    if (input.type === 'datasource') added.push(datasourceVariable(name, input));
    if (input.type === 'constant') added.push(constantVariable(name, input));
  }
  const { __inputs: _inputs, __requires: _requires, ...rest } = structuredClone(dashboard);
  const result = replaceStrings(rest, (s) => renamePlaceholders(s, renamed)) as Dashboard;
  const templating = isObject(result.templating) ? result.templating : {};
  result.templating = { ...templating, list: [...added, ...(Array.isArray(templating.list) ? templating.list : [])] };
  return { dashboard: result, renamed };
}

// Warnings for library panels: file provisioning does not create them, so they show up empty.
export function libraryPanelWarnings(dashboard: Dashboard): string[] {
  const warnings = allPanels(dashboard)
    .filter((panel) => isObject(panel.libraryPanel))
    .map((panel) => {
      const library = panel.libraryPanel as Record<string, unknown>;
      return `Panel ${JSON.stringify(panel.title ?? library.name ?? '')} is library panel ${JSON.stringify(library.name ?? '')} ` +
        `(uid ${String(library.uid)}): it stays empty unless that library panel exists in Grafana. Unlink it before exporting to keep it.`;
    });
  const elements = dashboard.__elements;
  const count = isObject(elements) ? Object.keys(elements).length : Array.isArray(elements) ? elements.length : 0;
  if (count > 0) warnings.push(`The export carries ${count} library panel model(s) in __elements, which provisioning ignores.`);
  return warnings;
}

function datasourceVariable(name: string, input: Input): Record<string, unknown> {
  return {
    current: {}, hide: 0, includeAll: false, label: input.pluginName ?? input.label ?? name, multi: false, name,
    options: [], query: input.pluginId ?? '', refresh: 1, regex: '', skipUrlSync: false, type: 'datasource',
  };
}

function constantVariable(name: string, input: Input): Record<string, unknown> {
  const value = input.value ?? '';
  return {
    current: { selected: false, text: value, value }, hide: 2, label: input.label ?? name, name,
    options: [{ selected: true, text: value, value }], query: value, skipUrlSync: false, type: 'constant',
  };
}

function inputs(dashboard: Dashboard): Input[] {
  return objects(dashboard.__inputs).filter((i): i is Input => typeof i.name === 'string' && i.name !== '') as Input[];
}

function variableNames(dashboard: Dashboard): string[] {
  const templating = isObject(dashboard.templating) ? dashboard.templating : {};
  return objects(templating.list).flatMap((v) => (typeof v.name === 'string' ? [v.name] : []));
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

function renamePlaceholders(text: string, renamed: Record<string, string>): string {
  let result = text;
  for (const [from, to] of Object.entries(renamed)) result = result.split(`\${${from}}`).join(`\${${to}}`);
  return result;
}

function collectStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      collectStrings(item, into);
    }
  }
  return into;
}

function replaceStrings(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replace));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, replace)]));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
