// Server-side validation with the API server's wording: names, annotation and ConfigMap sizes, strict fields.
import { badRequest, invalid, type StatusCause } from './errors.ts';
import type { ResourceType } from './resources.ts';
import type { KubeObject } from './kube.ts';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const ANNOTATIONS_LIMIT = 262144;
export const CONFIGMAP_LIMIT = 1048576;

const quote = (s: string) => JSON.stringify(s);

// Causes for an invalid metadata.name (subdomain rules, or label rules for Namespaces).
export function nameCauses(rt: ResourceType, name: string | undefined): StatusCause[] {
  const field = 'metadata.name';
  if (!name) return [{ reason: 'FieldValueRequired', field, message: 'Required value: name or generateName is required' }];
  const invalidValue = (msg: string): StatusCause => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${quote(name)}: ${msg}` });
  const causes: StatusCause[] = [];
  if (rt.kind === 'Namespace') {
    if (name.length > 63) causes.push(invalidValue('must be no more than 63 characters'));
    if (!LABEL.test(name)) causes.push(invalidValue(SUBDOMAIN.test(name) ? 'must not contain dots' : LABEL_MSG));
  } else {
    if (name.length > 253) causes.push(invalidValue('must be no more than 253 characters'));
    if (!SUBDOMAIN.test(name)) causes.push(invalidValue(SUBDOMAIN_MSG));
  }
  return causes;
}

function byteLength(s: unknown): number {
  return typeof s === 'string' ? Buffer.byteLength(s) : 0;
}

// Validates an object about to be stored; throws a 422 Invalid SimError listing every cause.
export function validateObject(rt: ResourceType, obj: KubeObject): void {
  const name = obj.metadata?.name;
  const causes = nameCauses(rt, name);
  const annotations = obj.metadata?.annotations ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) total += byteLength(k) + byteLength(v);
  if (total > ANNOTATIONS_LIMIT) causes.push({ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: `Too long: may not be more than ${ANNOTATIONS_LIMIT} bytes` });
  if (rt.kind === 'ConfigMap' && rt.group === '') {
    let size = 0;
    for (const [k, v] of Object.entries(obj.data ?? {})) size += byteLength(k) + byteLength(v);
    for (const [k, v] of Object.entries(obj.binaryData ?? {})) size += byteLength(k) + Math.floor((byteLength(v) * 3) / 4);
    if (size > CONFIGMAP_LIMIT) causes.push({ reason: 'FieldValueTooLong', field: '[]', message: `Too long: may not be more than ${CONFIGMAP_LIMIT} bytes` });
  }
  if (causes.length > 0) throw invalid(rt, name ?? '', causes);
}

const META_FIELDS = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const TOP_FIELDS: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Event: ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime',
    'series', 'action', 'related', 'reportingComponent', 'reportingInstance'],
};
const SPEC_FIELDS: Record<string, string[]> = {
  Deployment: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
};

// The unknown field paths of an object, as strict decoding names them (`spec.foo`, `metadata.bar`).
export function unknownFields(rt: ResourceType, obj: KubeObject): string[] {
  const known = ['apiVersion', 'kind', 'metadata', ...(TOP_FIELDS[rt.kind] ?? ['spec', 'status'])];
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (obj.metadata && typeof obj.metadata === 'object') unknown.push(...Object.keys(obj.metadata).filter((k) => !META_FIELDS.includes(k)).map((k) => `metadata.${k}`));
  const spec = SPEC_FIELDS[rt.kind];
  if (spec && obj.spec && typeof obj.spec === 'object') unknown.push(...Object.keys(obj.spec).filter((k) => !spec.includes(k)).map((k) => `spec.${k}`));
  return unknown;
}

// Applies the fieldValidation mode: Strict throws 400, Warn (and the default) returns warnings, Ignore returns none.
export function checkFields(rt: ResourceType, obj: KubeObject, mode: string | undefined): string[] {
  if (mode === 'Ignore') return [];
  const unknown = unknownFields(rt, obj);
  if (unknown.length === 0) return [];
  if (mode === 'Strict') {
    const list = unknown.map((f) => `unknown field ${quote(f)}`).join(', ');
    throw badRequest(`${rt.kind} in version ${quote(rt.version)} cannot be handled as a ${rt.kind}: strict decoding error: ${list}`);
  }
  return unknown.map((f) => `unknown field ${quote(f)}`);
}
