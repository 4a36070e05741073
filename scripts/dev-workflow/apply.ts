// The cluster side of `test` and `diff`: which built objects exist already, the server-side diff,
// and the server-side apply. The field manager starts with "kubectl", so kustomize-controller
// takes these fields back on its next apply after resume: a field set in a session and not
// committed is reverted to Git, not left behind.
import type { Kubectl } from '../adapters/kubectl.ts';
import { at, type Obj } from '../gitops/yaml.ts';
import type { CreatedObject } from './session.ts';

export const FIELD_MANAGER = 'kubectl-dev-workflow';

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

// Identity of an object across API versions of its group: `group/Kind/namespace/name`.
export function objectKey(o: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return `${groupOf(o.apiVersion)}/${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

// The identity fields of a manifest.
export function identityOf(doc: Obj): CreatedObject {
  const namespace = at(doc, 'metadata', 'namespace');
  return {
    apiVersion: String(doc.apiVersion),
    kind: String(doc.kind),
    ...(typeof namespace === 'string' ? { namespace } : {}),
    name: String(at(doc, 'metadata', 'name') ?? ''),
  };
}

// The built objects that do not exist in the cluster yet (applying them creates them).
export async function missingObjects(kubectl: Kubectl, objects: readonly Obj[], yaml: string): Promise<CreatedObject[]> {
  const result = await kubectl.run('read', ['get', '-f', '-', '--ignore-not-found', '-o', 'json'], { input: yaml, purpose: 'look up which objects exist' });
  const text = result.stdout.trim();
  const items: Obj[] = text ? ((JSON.parse(text) as { items?: Obj[]; kind?: string }).items ?? [JSON.parse(text) as Obj]) : [];
  const existing = new Set(items.map((item) => objectKey(identityOf(item))));
  const existingNoNamespace = new Set(items.map((item) => objectKey({ ...identityOf(item), namespace: undefined })));
  return objects.map(identityOf).filter((o) => !(o.namespace ? existing.has(objectKey(o)) : existingNoNamespace.has(objectKey(o))));
}

// `kubectl diff --server-side`: the diff text, empty when the cluster already matches.
export async function serverDiff(kubectl: Kubectl, yaml: string): Promise<string> {
  const result = await kubectl.run('read', ['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'], {
    input: yaml,
    purpose: 'kubectl diff',
    okExitCodes: [1],
  });
  return result.stdout;
}

// Applies server-side; returns kubectl's lines (`configmap/x serverside-applied`).
export async function applyServerSide(kubectl: Kubectl, yaml: string): Promise<string> {
  const result = await kubectl.run('write', ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'], {
    input: yaml,
    purpose: 'kubectl apply --server-side',
  });
  return result.stdout.trimEnd();
}

// Deletes objects (ones `test` created); missing ones are fine.
export async function deleteObjects(kubectl: Kubectl, objects: readonly CreatedObject[]): Promise<void> {
  for (const o of objects) {
    const resource = groupOf(o.apiVersion) ? `${o.kind.toLowerCase()}.${groupOf(o.apiVersion)}` : o.kind.toLowerCase();
    await kubectl.run('write', ['delete', resource, o.name, ...(o.namespace ? ['-n', o.namespace] : []), '--ignore-not-found', '--wait=false'], {
      purpose: `delete ${o.kind} ${o.name}`,
    });
  }
}
