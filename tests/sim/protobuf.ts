// Decodes the protobuf bodies kubectl's typed clients send (`kubectl create configmap|secret|namespace|
// serviceaccount|deployment`): the `k8s\0` envelope and the fields those commands set.
import { badRequest } from './errors.ts';

type Field = { name: string; type: 'string' | 'bytes' | 'int' | 'bool' | 'map' | 'mapBytes' | Schema; repeated?: boolean };
type Schema = Record<number, Field>;

const F = (name: string, type: Field['type'], repeated = false): Field => ({ name, type, repeated });
const META: Schema = { 1: F('name', 'string'), 2: F('generateName', 'string'), 3: F('namespace', 'string'), 11: F('labels', 'map'), 12: F('annotations', 'map'), 14: F('finalizers', 'string', true) };
const KEY_REF: Schema = { 1: F('name', 'string'), 2: F('key', 'string') };
const ENV: Schema = { 1: F('name', 'string'), 2: F('value', 'string') };
const PORT: Schema = { 1: F('name', 'string'), 2: F('hostPort', 'int'), 3: F('containerPort', 'int'), 4: F('protocol', 'string') };
const CONTAINER: Schema = { 1: F('name', 'string'), 2: F('image', 'string'), 3: F('command', 'string', true), 4: F('args', 'string', true), 5: F('workingDir', 'string'), 6: F('ports', PORT, true), 7: F('env', ENV, true), 14: F('imagePullPolicy', 'string') };
const POD_SPEC: Schema = { 2: F('containers', CONTAINER, true), 8: F('serviceAccountName', 'string') };
const SELECTOR: Schema = { 1: F('matchLabels', 'map') };
const DEPLOYMENT: Schema = { 1: F('metadata', META), 2: F('spec', { 1: F('replicas', 'int'), 2: F('selector', SELECTOR), 3: F('template', { 1: F('metadata', META), 2: F('spec', POD_SPEC) }), 4: F('strategy', { 1: F('type', 'string') }) }) };
void KEY_REF;

const SCHEMAS: Record<string, Schema> = {
  'v1/ConfigMap': { 1: F('metadata', META), 2: F('data', 'map'), 3: F('binaryData', 'mapBytes'), 4: F('immutable', 'bool') },
  'v1/Secret': { 1: F('metadata', META), 2: F('data', 'mapBytes'), 3: F('type', 'string'), 4: F('stringData', 'map'), 5: F('immutable', 'bool') },
  'v1/Namespace': { 1: F('metadata', META), 2: F('spec', { 1: F('finalizers', 'string', true) }) },
  'v1/ServiceAccount': { 1: F('metadata', META), 4: F('automountServiceAccountToken', 'bool') },
  'apps/v1/Deployment': DEPLOYMENT,
};

class Reader {
  buf: Buffer;
  pos = 0;
  constructor(buf: Buffer) { this.buf = buf; }
  varint(): number {
    let result = 0, shift = 0, byte: number;
    do { byte = this.buf[this.pos++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return result;
  }
  bytes(): Buffer { const n = this.varint(); const b = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  skip(wire: number): void {
    if (wire === 0) this.varint(); else if (wire === 1) this.pos += 8; else if (wire === 2) this.bytes(); else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function decode(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (r.pos < buf.length) {
    const tag = r.varint();
    const field = schema[Math.floor(tag / 8)];
    const wire = tag & 7;
    if (!field) { r.skip(wire); continue; }
    let value: unknown;
    if (field.type === 'int') value = r.varint();
    else if (field.type === 'bool') value = r.varint() !== 0;
    else if (field.type === 'string') value = r.bytes().toString('utf8');
    else if (field.type === 'bytes') value = r.bytes().toString('base64');
    else if (field.type === 'map' || field.type === 'mapBytes') {
      const entry = decode(r.bytes(), { 1: F('k', 'string'), 2: F('v', field.type === 'map' ? 'string' : 'bytes') });
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[String(entry.k ?? '')] = entry.v ?? '';
      continue;
    } else value = decode(r.bytes(), field.type);
    // proto2 writes every scalar; Go's JSON omits empty ones (replicas is a pointer, so 0 is meaningful).
    if ((value === '' || value === 0) && !field.repeated && field.name !== 'replicas') continue;
    if (typeof field.type === 'object' && field.name === 'strategy' && Object.keys(value as object).length === 0) continue;
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value); else out[field.name] = value;
  }
  return out;
}

// Decodes a `k8s\0`-prefixed protobuf body into JSON for the kinds kubectl creates with typed clients.
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw badRequest('provided protobuf is not a Kubernetes object (missing magic)');
  const unknown = decode(body.subarray(4), { 1: F('typeMeta', { 1: F('apiVersion', 'string'), 2: F('kind', 'string') }), 2: F('raw', 'bytes') });
  const { apiVersion, kind } = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = SCHEMAS[`${apiVersion}/${kind}`];
  if (!schema) throw badRequest(`the simulator cannot decode protobuf ${apiVersion} ${kind}; send JSON`);
  return { apiVersion, kind, ...decode(Buffer.from(String(unknown.raw ?? ''), 'base64'), schema) };
}
