// Check 3: every built object and standalone manifest against its schema (see schemas.ts), removed
// or deprecated API versions named with their replacement, and objects without a schema counted.
import { isObj, type Obj } from '../gitops/yaml.ts';
import { describeObject, nameOf, type Tree } from '../gitops/tree.ts';
import { apiVersionNote } from './api-versions.ts';
import type { NewFinding } from './findings.ts';
import { lineAt, objectFinding, type CheckedObject } from './objects.ts';
import { createSchemaSource, type SchemaError } from './schemas.ts';
import { fieldTables, unknownFields } from './fields.ts';
import { SOPS_CIPHERTEXT } from './sops.ts';
import { withoutNulls } from './nulls.ts';
import type { SchemaResults } from './cache.ts';
import { createHash } from 'node:crypto';

// An object no schema covers, where it is (see listWithoutSchema).
export type NoSchemaObject = { kind: string; object: string; file: string; line: number; cluster?: string };

// What the results cache holds for an object no schema covers.
const NO_SCHEMA: SchemaError = { path: [], message: '(no schema)' };

// At most this many schema errors per object: the first ones say what is wrong.
const MAX_ERRORS = 5;

// `results` keeps each object's errors by the hash of its JSON (and of validate's code, in the cache file's key).
// `crdFiles` are the files the validated clusters' Kustomizations read: their CRDs count too (see crdsOf).
export async function checkSchemas(tree: Tree, objects: readonly CheckedObject[], cacheDir?: string, results?: SchemaResults, crdFiles: Iterable<string> = []): Promise<{ findings: NewFinding[]; withoutSchema: Record<string, number>; withoutSchemaObjects: NoSchemaObject[] }> {
  const findings: NewFinding[] = [];
  const withoutSchema: Record<string, number> = {};
  const withoutSchemaObjects: NoSchemaObject[] = [];
  const schemas = createSchemaSource(crdsOf(tree, objects, crdFiles), cacheDir);
  // The same object built for two clusters is checked once; an object seen in an earlier run
  // (the same JSON) takes its errors from `results`.
  const hashes = new Map<string, string>();
  const hashOf = (doc: Obj, json: string) => {
    let hash = hashes.get(json);
    if (!hash) hashes.set(json, (hash = createHash('sha256').update(`${schemas.schemaKey(String(doc.apiVersion ?? ''), String(doc.kind ?? ''))}\0${json}`).digest('base64url')));
    return hash;
  };
  const jsons = objects.map((o) => JSON.stringify(o.doc));
  const unseen = new Set(objects.filter((o, i) => !results?.get(hashOf(o.doc, jsons[i]))).map((o) => `${String(o.doc.apiVersion ?? '')} ${String(o.doc.kind ?? '')}`));
  // Known fields of the kinds to validate now (read once per package version; see fields.ts).
  const tables = fieldTables([...unseen].filter((kind) => !schemas.fromRepository(kind)));
  // Their validators load side by side.
  await Promise.all([...unseen].map((key) => schemas.validatorFor(...(key.split(' ') as [string, string]))));
  const checked = new Map<string, SchemaError[]>();
  for (const [i, object] of objects.entries()) {
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
    const json = jsons[i];
    let errors = checked.get(json);
    if (!errors) {
      const hash = hashOf(doc, json);
      errors = results?.get(hash);
      if (!errors) {
        const validator = await schemas.validatorFor(apiVersion, kind);
        const table = tables.get(`${apiVersion} ${kind}`);
        const stripped = strip(doc);
        // Unknown fields are looked for in the document as written: a null unknown field is still unknown.
        errors = validator ? [...(table ? unknownFields(table, stripped) : []), ...validator(withoutNulls(stripped, schemas.crdSchema(apiVersion, kind)))].slice(0, MAX_ERRORS) : [NO_SCHEMA];
        results?.set(hash, errors);
      }
      checked.set(json, errors);
    }
    if (errors.length === 1 && errors[0].message === NO_SCHEMA.message) {
      const kindKey = `${apiVersion} ${kind}`;
      withoutSchema[kindKey] = (withoutSchema[kindKey] ?? 0) + 1;
      withoutSchemaObjects.push({ kind: kindKey, object: describeObject(doc), file: object.file, line: object.line, ...(object.cluster ? { cluster: object.cluster } : {}) });
      continue;
    }
    findings.push(...errors.map((error) => objectFinding(object, {
      severity: 'error', check: 'schema', rule: error.message === 'unknown field' ? 'schema/unknown-field' : 'schema/invalid',
      line: lineAt(tree, object, error.path),
      message: `${error.path.length > 0 ? error.path.join('.') : '(object)'}: ${error.message}`,
      hint: error.message === 'unknown field'
        ? 'remove the field or fix its name or indentation: the API server rejects unknown fields under strict field validation (and drops them otherwise)'
        : 'fix the field as the API reference for this kind describes it (`kubectl explain <kind>.<field>` on a cluster)',
    })));
  }
  return { findings, withoutSchema, withoutSchemaObjects };
}

const isCrd = (doc: Obj) => doc.kind === 'CustomResourceDefinition' && doc.apiVersion === 'apiextensions.k8s.io/v1';

// The CustomResourceDefinitions of the repository: those among the checked objects (as built), and
// those of `files` as written, for a CRD whose Kustomization is not built in this run (--changed, a
// failed build); a built CRD wins over a file's of the same name.
function crdsOf(tree: Tree, objects: readonly CheckedObject[], files: Iterable<string>): Obj[] {
  const built = objects.map((o) => o.doc).filter(isCrd);
  const names = new Set(built.map(nameOf));
  const written = new Map<string, Obj>();
  // NOTE: speed: only files that mention the kind are parsed (the Flux model has read their text already).
  for (const file of new Set(files)) {
    if (!tree.mayMention(file, 'CustomResourceDefinition')) continue;
    for (const { doc } of tree.manifests(file)) if (isCrd(doc) && !names.has(nameOf(doc)) && !written.has(nameOf(doc))) written.set(nameOf(doc), doc);
  }
  return [...written.values(), ...built];
}

// The object as the API server validates it: status is not part of what is applied, and the
// `sops` metadata of an encrypted file is removed by kustomize-controller when it decrypts.
// A Secret's data as the API server decodes it: Go's base64 skips line breaks (kustomize folds long
// generated values), and sops ciphertext (`ENC[…]`, not base64) is decrypted before it is applied.
function strip(doc: Obj): Obj {
  const data = doc.kind === 'Secret' && isObj(doc.data) ? doc.data : undefined;
  if (doc.status === undefined && doc.sops === undefined && !data) return doc;
  const { status: _status, sops: _sops, ...rest } = doc;
  if (data) rest.data = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, typeof value !== 'string' ? value : SOPS_CIPHERTEXT.test(value) ? '' : value.replace(/[\r\n]/g, '')]));
  return rest;
}
