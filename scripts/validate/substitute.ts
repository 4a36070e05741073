// What kustomize-controller does to built objects after the build: `commonMetadata` labels and
// annotations, and `postBuild` variable substitution (`${VAR}`, `${VAR:=default}`,
// `${VAR:-default}`, `$${VAR}` escaped) from `substitute` and the ConfigMaps and Secrets named by
// `substituteFrom`, skipping objects annotated or labelled `kustomize.toolkit.fluxcd.io/substitute: disabled`.
import { parse as parseYaml } from 'yaml';
import { at, isObj, type Obj } from '../gitops/yaml.ts';

export const SUBSTITUTE_DISABLED = 'kustomize.toolkit.fluxcd.io/substitute';

// The variables of one Kustomization: known values, and whether a Secret may hold more.
export type Variables = { values: Map<string, string>; secretSources: string[] };

// A reference left unresolved: the variable name, the field it was in (`data.b`, after
// substitution) and that field's path in the document as written (for its line in the source).
export type Unresolved = { name: string; field: string; path: (string | number)[] };

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

// Adds spec.commonMetadata's labels and annotations to `doc` (in place).
export function applyCommonMetadata(doc: Obj, commonMetadata: unknown): void {
  if (!isObj(commonMetadata)) return;
  const metadata = isObj(doc.metadata) ? doc.metadata : (doc.metadata = {});
  for (const key of ['labels', 'annotations'] as const) {
    const extra = commonMetadata[key];
    if (!isObj(extra)) continue;
    metadata[key] = { ...(isObj(metadata[key]) ? metadata[key] : {}), ...extra };
  }
}

// Whether the object opts out of substitution.
export function substitutionDisabled(doc: Obj): boolean {
  return at(doc, 'metadata', 'annotations', SUBSTITUTE_DISABLED) === 'disabled' || at(doc, 'metadata', 'labels', SUBSTITUTE_DISABLED) === 'disabled';
}

// Substitutes the variables in every string of `doc` (in place, keys included) and returns the
// references that had no value (and no default): Flux would replace them with an empty string.
export function substitute(doc: Obj, variables: ReadonlyMap<string, string>): Unresolved[] {
  const unresolved: Unresolved[] = [];
  const replace = (text: string, field: string, path: (string | number)[]): unknown => {
    if (!text.includes('$')) return text;
    const whole = /^\$\{[^}]*\}$/.test(text);
    const result = text.replace(REFERENCE, (match, escaped: string, body: string) => {
      if (escaped) return match.slice(1);
      const [, name, operator, fallback] = /^([^:=-]*)(?::?([-=]))?(.*)$/s.exec(body) ?? [];
      if (!name || !NAME.test(name)) return match;
      const value = variables.get(name);
      if (value !== undefined && !(operator && value === '' && body.includes(':'))) return value;
      if (operator) return fallback ?? '';
      unresolved.push({ name, field, path });
      return '';
    });
    // A whole-value reference (`replicas: ${REPLICAS}`) takes the type of what replaces it, as
    // Flux substitutes in the YAML text before parsing it.
    if (whole && result !== text && !/[\n:#]/.test(result)) {
      try {
        const parsed: unknown = parseYaml(result);
        if (typeof parsed === 'number' || typeof parsed === 'boolean') return parsed;
      } catch {
        // keep the string
      }
    }
    return result;
  };
  const walk = (value: unknown, field: string, path: (string | number)[]): unknown => {
    if (typeof value === 'string') return replace(value, field, path);
    if (Array.isArray(value)) return value.map((item, i) => walk(item, `${field}[${i}]`, [...path, i]));
    if (isObj(value)) {
      const out: Obj = {};
      for (const [key, item] of Object.entries(value)) {
        const newKey = String(replace(key, field ? `${field}.${key}` : key, [...path, key]));
        out[newKey] = walk(item, field ? `${field}.${newKey}` : newKey, [...path, key]);
      }
      return out;
    }
    return value;
  };
  const result = walk(doc, '', []) as Obj;
  for (const key of Object.keys(doc)) delete doc[key];
  Object.assign(doc, result);
  return unresolved;
}
