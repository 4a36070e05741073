// Check 3: every built object and standalone manifest against its schema (see schemas.ts), removed
// or deprecated API versions named with their replacement, and objects without a schema counted.
import { at, type Obj } from '../gitops/yaml.ts';
import type { Tree } from '../gitops/tree.ts';
import { apiVersionNote } from './api-versions.ts';
import type { NewFinding } from './findings.ts';
import { lineAt, objectFinding, type CheckedObject } from './objects.ts';
import { createSchemaSource } from './schemas.ts';

// At most this many schema errors per object: the first ones say what is wrong.
const MAX_ERRORS = 5;

export async function checkSchemas(tree: Tree, objects: readonly CheckedObject[], cacheDir?: string): Promise<{ findings: NewFinding[]; withoutSchema: Record<string, number> }> {
  const findings: NewFinding[] = [];
  const withoutSchema: Record<string, number> = {};
  const crds = objects.map((o) => o.doc).filter((doc) => doc.kind === 'CustomResourceDefinition' && doc.apiVersion === 'apiextensions.k8s.io/v1');
  const schemas = createSchemaSource(crds, cacheDir);
  // The same object built for two clusters is checked once.
  const checked = new Map<string, NewFinding[]>();
  for (const object of objects) {
    const { doc } = object;
    const apiVersion = String(doc.apiVersion ?? '');
    const kind = String(doc.kind ?? '');
    const note = apiVersionNote(apiVersion, kind);
    if (note) {
      findings.push(objectFinding(object, {
        severity: note.severity, check: 'schema', rule: note.severity === 'error' ? 'schema/removed-api' : 'schema/deprecated-api',
        line: lineAt(tree, object, ['apiVersion']),
        message: `${apiVersion} ${kind} is ${note.note}: use ${note.replacement}`,
        hint: `change apiVersion to ${note.replacement} (and adapt the fields that changed)`,
      }));
    }
    const validator = await schemas.validatorFor(apiVersion, kind);
    if (!validator) {
      const key = `${apiVersion} ${kind}`;
      withoutSchema[key] = (withoutSchema[key] ?? 0) + 1;
      continue;
    }
    const key = JSON.stringify(doc);
    let own = checked.get(key);
    if (!own) {
      own = validator(strip(doc)).slice(0, MAX_ERRORS).map((error) => objectFinding(object, {
        severity: 'error', check: 'schema', rule: error.message === 'unknown field' ? 'schema/unknown-field' : 'schema/invalid',
        line: lineAt(tree, object, error.path),
        message: `${error.path.length > 0 ? error.path.join('.') : '(object)'}: ${error.message}`,
        hint: 'fix the field as the API reference for this kind describes it (`kubectl explain <kind>.<field>` on a cluster)',
      }));
      checked.set(key, own);
    }
    findings.push(...own.map((f) => ({ ...f, clusters: object.cluster ? [object.cluster] : [], kustomization: object.kustomization })));
  }
  return { findings, withoutSchema };
}

// The object as the API server validates it: status is not part of what is applied.
function strip(doc: Obj): Obj {
  if (at(doc, 'status') === undefined) return doc;
  const { status: _status, ...rest } = doc;
  return rest;
}
