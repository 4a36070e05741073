// A null field as the API server sees it: unset. Built-in kinds decode a null as absent, and for a
// CRD's object apiextensions prunes the null of every field its schema does not mark
// `nullable: true` before validating. So a null optional field is no error, and a null required
// field is a missing one.
import { isObj, type Obj } from '../gitops/yaml.ts';

// `doc` without its null map entries (list items stay). `crdSchema` is the openAPIV3Schema of the
// object's CRD, walked alongside: there a null stays where the field is `nullable: true`, and where
// the schema does not describe the field (an unknown field is still reported as unknown). Without
// it (built-in and packaged kinds) every null goes. The same object is returned when it holds no null.
export function withoutNulls(doc: Obj, crdSchema?: Obj): Obj {
  return prune(doc, crdSchema !== undefined, crdSchema) as Obj;
}

function prune(value: unknown, crd: boolean, schema: unknown): unknown {
  if (Array.isArray(value)) {
    const items = crd && isObj(schema) ? schema.items : undefined;
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = prune(item, crd, items);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!isObj(value)) return value;
  let out: Obj | undefined;
  for (const [key, child] of Object.entries(value)) {
    const field = crd ? fieldSchema(schema, key) : undefined;
    if (child === null) {
      if (!crd || (field !== undefined && field.nullable !== true)) delete (out ??= { ...value })[key];
      continue;
    }
    const next = prune(child, crd, field);
    if (next !== child) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

// The schema of field `key` of an object whose schema is `schema`: a listed property, else the
// schema of a map's values; undefined when the schema does not describe it.
function fieldSchema(schema: unknown, key: string): Obj | undefined {
  if (!isObj(schema)) return undefined;
  const property = isObj(schema.properties) && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
  if (isObj(property)) return property;
  return isObj(schema.additionalProperties) ? schema.additionalProperties : undefined;
}
