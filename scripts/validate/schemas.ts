// Where validate's schemas come from, per apiVersion and kind:
// - core Kubernetes kinds: the precompiled ajv validators of `kubernetes-models` (5.1.0),
// - Flux kinds (source, kustomize, helm, notification, image): `@kubernetes-models/flux-cd` (4.0.0),
// - Gateway API kinds (gateway.networking.k8s.io, gateway.networking.x-k8s.io):
//   `@kubernetes-models/gateway-api` (2.0.0),
// - CRDs defined in the repository: their openAPIV3Schema, compiled once with ajv (cached on disk),
//   with unknown fields rejected as the API server's strict field validation would.
// Each validator module is loaded once per run, and only for the kinds the tree uses.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject, Options } from 'ajv';
import { cachedValidator } from '../core/cache.ts';
import { at, isObj, type Obj } from '../gitops/yaml.ts';

export type SchemaError = { path: (string | number)[]; message: string };
export type Validator = (doc: Obj) => SchemaError[];

const NODE_MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));
// The schema packages, in the order they are searched; fields.ts reads their type declarations
// and cache.ts puts their versions in its keys.
export const SCHEMA_PACKAGES: readonly string[] = ['kubernetes-models', '@kubernetes-models/flux-cd', '@kubernetes-models/gateway-api'];
const CRD_OPTIONS: Options = { allErrors: true, strict: false, validateFormats: false };

export type SchemaSource = {
  // The validator for apiVersion/kind, or undefined when no schema covers it.
  validatorFor(apiVersion: string, kind: string): Promise<Validator | undefined>;
  // What identifies the schema of apiVersion/kind beyond the packages' versions: a repository CRD's schema.
  schemaKey(apiVersion: string, kind: string): string;
  // Whether `apiVersion Kind` is defined by a CRD in the repository.
  fromRepository(key: string): boolean;
  // The openAPIV3Schema of the repository CRD that defines apiVersion/kind, as written in the CRD.
  crdSchema(apiVersion: string, kind: string): Obj | undefined;
};

// The schema source for a run; `crds` are the CustomResourceDefinitions found in the tree.
export function createSchemaSource(crds: readonly Obj[], cacheDir?: string): SchemaSource {
  const loaded = new Map<string, Promise<Validator | undefined>>();
  const fromCrds = crdSchemas(crds);
  // NOTE: speed: asked once per object; a CRD's schema (Flux's are large) is serialized once per kind.
  const keys = new Map<string, string>();
  return {
    fromRepository: (key) => fromCrds.has(key),
    crdSchema: (apiVersion, kind) => fromCrds.get(`${apiVersion} ${kind}`),
    schemaKey(apiVersion, kind) {
      const key = `${apiVersion} ${kind}`;
      let schemaKey = keys.get(key);
      if (schemaKey === undefined) {
        const crd = fromCrds.get(key);
        keys.set(key, (schemaKey = crd ? JSON.stringify(crd) : ''));
      }
      return schemaKey;
    },
    validatorFor(apiVersion, kind) {
      const key = `${apiVersion} ${kind}`;
      let validator = loaded.get(key);
      if (!validator) {
        const crd = fromCrds.get(key);
        validator = crd ? Promise.resolve(compileCrd(crd, cacheDir)) : loadPackageValidator(apiVersion, kind);
        loaded.set(key, validator);
      }
      return validator;
    },
  };
}

// The packages' validators loaded so far (or loading), by `apiVersion kind`: the same files for every run.
const packageValidators = new Map<string, Promise<Validator | undefined>>();

function loadPackageValidator(apiVersion: string, kind: string): Promise<Validator | undefined> {
  const key = `${apiVersion} ${kind}`;
  let validator = packageValidators.get(key);
  if (!validator) packageValidators.set(key, (validator = packageValidator(apiVersion, kind)));
  return validator;
}

// Starts loading the packages' validators of `kinds` (`apiVersion Kind`), so they are ready when
// the objects are checked: importing one takes tens of milliseconds, time kubectl's builds can hide.
export function preloadValidators(kinds: Iterable<string>): void {
  for (const key of kinds) {
    const [apiVersion = '', kind = ''] = key.split(' ');
    // A failure is the check's to report, when it asks for this validator.
    loadPackageValidator(apiVersion, kind).catch(() => undefined);
  }
}

// The precompiled validator of a schema package for apiVersion/kind, found through the
// model module that imports it (`<package>/<group>/<version>/<Kind>.js`, core kinds under `v1/`).
async function packageValidator(apiVersion: string, kind: string): Promise<Validator | undefined> {
  if (!/^[A-Za-z0-9]+$/.test(kind) || !/^[a-z0-9.-]*\/?[a-z0-9]+$/.test(apiVersion)) return undefined;
  for (const pkg of SCHEMA_PACKAGES) {
    const model = `${NODE_MODULES}${pkg}/${apiVersion}/${kind}.js`;
    if (!existsSync(model)) continue;
    const schema = /from"(\.[^"]*_schemas\/[^"]+\.js)"/.exec(readFileSync(model, 'utf8'))?.[1];
    if (!schema) continue;
    const module = (await import(new URL(schema, pathToFileURL(model)).href)) as { validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } };
    const validate = module.validate;
    return (doc) => (validate(doc) ? [] : toSchemaErrors(validate.errors ?? []));
  }
  return undefined;
}

// `apiVersion kind` → the CRD version's openAPIV3Schema, for every served version of every CRD.
function crdSchemas(crds: readonly Obj[]): Map<string, Obj> {
  const schemas = new Map<string, Obj>();
  for (const crd of crds) {
    const group = at(crd, 'spec', 'group');
    const kind = at(crd, 'spec', 'names', 'kind');
    const versions = at(crd, 'spec', 'versions');
    if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(versions)) continue;
    for (const version of versions) {
      const schema = at(version, 'schema', 'openAPIV3Schema');
      if (isObj(schema) && typeof at(version, 'name') === 'string') schemas.set(`${group}/${String(at(version, 'name'))} ${kind}`, schema);
    }
  }
  return schemas;
}

function compileCrd(schema: Obj, cacheDir?: string): Validator {
  const validate = cachedValidator(strictSchema(schema, true) as object, CRD_OPTIONS, cacheDir);
  return (doc) => (validate(doc) ? [] : toSchemaErrors(validate.errors ?? []));
}

// The CRD schema with unknown fields rejected (additionalProperties: false on every object that
// lists properties and does not preserve unknown fields), and apiVersion, kind and metadata allowed
// at the top as the API server allows them.
export function strictSchema(schema: unknown, top = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strictSchema(s));
  if (!isObj(schema)) return schema;
  const out: Obj = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties' && isObj(value)
      ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, strictSchema(s)]))
      : key === 'x-kubernetes-preserve-unknown-fields' || key === 'default' || key === 'example' || key === 'enum' ? value : strictSchema(value);
  }
  if (top) out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(isObj(out.properties) ? out.properties : {}) };
  if (isObj(out.properties) && out.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

// ajv errors as field paths and messages; for a rejected unknown field the path names the field.
function toSchemaErrors(errors: readonly ErrorObject[]): SchemaError[] {
  const seen = new Set<string>();
  const result: SchemaError[] = [];
  for (const error of errors) {
    const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let message = messageOf(error);
    if (error.keyword === 'additionalProperties') {
      path.push(String((error.params as { additionalProperty: string }).additionalProperty));
      message = 'unknown field';
    }
    const key = `${path.join('.')} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ path, message });
  }
  return result;
}

// ajv's message for an error (the precompiled validators are built without messages).
function messageOf(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': return `must be ${String(p.type)}`;
    case 'required': return `must have required property '${String(p.missingProperty)}'`;
    case 'enum': return `must be one of ${((p.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern': return `must match pattern "${String(p.pattern)}"`;
    case 'format': return `must match format "${String(p.format)}"`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum': return `must be ${String(p.comparison)} ${String(p.limit)}`;
    case 'minLength': case 'maxLength': return `must have ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters`;
    case 'minItems': case 'maxItems': return `must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} items`;
    default: return error.message ?? `fails ${error.keyword}`;
  }
}
