import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchGenerator, matchManifest, type Generator } from '../../../scripts/validate/objects.ts';
import type { Manifest } from '../../../scripts/gitops/tree.ts';
import { fluxKustomization, kustomization, validateTree } from './fixture.ts';

const secret = (name: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: apps\nstringData:\n  password: hunter2\n`;
const found = (result: { findings: { rule: string; file: string; line: number; object?: string }[] }) =>
  result.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.object ?? ''}`);

test('an object a secretGenerator makes is reported at the generator\'s name, not at another Secret of the build', async () => {
  const result = await validateTree({
    'infrastructure/apps/config.yaml': secret('creds'),
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml') + 'secretGenerator:\n  - name: gen\n    namespace: apps\n    literals:\n      - a=b\n',
  });
  const generated = result.findings.find((f) => f.object?.startsWith('Secret apps/gen-'))?.object ?? 'none';
  assert.match(generated, /^Secret apps\/gen-[a-z0-9]{10}$/);
  assert.equal(found(result), [
    'policy/plain-secret infrastructure/apps/config.yaml:1 Secret apps/creds',
    `policy/plain-secret infrastructure/apps/kustomization.yaml:8 ${generated}`,
  ]);
});

test('a generated object under the Flux Kustomization\'s namePrefix and a nested kustomization\'s nameSuffix is the generator\'s', async () => {
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'base'),
    'infrastructure/apps/base/kustomization.yaml': 'nameSuffix: -s\nsecretGenerator:\n  - name: creds\n    namespace: apps\n    literals:\n      - a=b\n',
    'clusters/dev/apps.yaml': fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', 'namePrefix: p-'),
  });
  assert.equal(found(result).map((f) => f.replace(/-[a-z0-9]{10}$/, '-<hash>')), ['policy/plain-secret infrastructure/apps/base/kustomization.yaml:3 Secret apps/p-creds-s-<hash>']);
});

test('an object is reported at the file of the same name in its own namespace, not at another namespace\'s', async () => {
  const policy = (namespace: string, extra = '') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-all\n  namespace: ${namespace}\nspec:\n  podSelector: {}\n${extra}`;
  const result = await validateTree({
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'np-a.yaml', 'np-b.yaml'),
    'infrastructure/apps/np-a.yaml': policy('apps'),
    'infrastructure/apps/np-b.yaml': '# policy for team b\n\n' + policy('team-b', '  policyTypes: Ingress\n'),
  });
  assert.equal(found(result), ['schema/invalid infrastructure/apps/np-b.yaml:10 NetworkPolicy team-b/deny-all']);
  assert.is(result.findings[0].message, 'spec.policyTypes: must be array');
  assert.is(result.exitCode, 1);
});

const manifest = (kind: string, name: string): Manifest => ({ file: `${name}.yaml`, line: 1, index: 0, doc: { kind, metadata: { name } } });
const doc = (kind: string, name: string) => ({ kind, metadata: { name } });
const none = { prefixes: [], suffixes: [] };

test('matchManifest: the same name, or the name with the build\'s prefixes and suffixes; never a guess', () => {
  const settings = manifest('ConfigMap', 'settings');
  const app = manifest('ConfigMap', 'app');
  assert.is(matchManifest([app, settings], doc('ConfigMap', 'settings'), none), settings);
  assert.is(matchManifest([app, settings], doc('ConfigMap', 'p-b-settings-s'), { prefixes: ['p-', 'b-'], suffixes: ['-s'] }), settings);
  // The only ConfigMap of the build, but not its name: no match (it was the fallback before).
  assert.is(matchManifest([settings], doc('ConfigMap', 'gen-k695gkmbtk'), none), undefined);
  // A name that merely contains another one is not made from it.
  assert.is(matchManifest([app], doc('ConfigMap', 'my-app-config'), none), undefined);
  assert.is(matchManifest([app], doc('ConfigMap', 'x-app'), { prefixes: ['p-'], suffixes: [] }), undefined);
  // Resources get no hash suffix: only generated objects do.
  assert.is(matchManifest([app], doc('ConfigMap', 'app-k695gkmbtk'), none), undefined);
  assert.is(matchManifest([manifest('Secret', 'settings')], doc('ConfigMap', 'settings'), none), undefined);
});

test('matchManifest and matchGenerator: among the same names, the object\'s namespace, then none, then the first', () => {
  const inNamespace = (kind: string, name: string, namespace: string | undefined, file: string): Manifest =>
    ({ file, line: 1, index: 0, doc: { kind, metadata: { name, ...(namespace ? { namespace } : {}) } } });
  const a = inNamespace('NetworkPolicy', 'deny-all', 'apps', 'a.yaml');
  const b = inNamespace('NetworkPolicy', 'deny-all', 'team-b', 'b.yaml');
  const bare = inNamespace('NetworkPolicy', 'deny-all', undefined, 'bare.yaml');
  const built = (namespace: string) => ({ kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace } });
  assert.is(matchManifest([a, b], built('team-b'), none), b);
  assert.is(matchManifest([a, bare, b], built('team-b'), none), b);
  assert.is(matchManifest([a, bare], built('team-b'), none), bare);
  // Moved by a transformation (targetNamespace): the first, as before.
  assert.is(matchManifest([a, b], built('elsewhere'), none), a);
  assert.is(matchManifest([a, b], { kind: 'NetworkPolicy', metadata: { name: 'p-deny-all', namespace: 'team-b' } }, { prefixes: ['p-'], suffixes: [] }), b);
  const generator = (namespace: string | undefined, file: string): Generator =>
    ({ kind: 'Secret', name: 'creds', ...(namespace ? { namespace } : {}), file, index: 0, path: ['secretGenerator', 0, 'name'] });
  const genA = generator('apps', 'a/kustomization.yaml');
  const genB = generator('team-b', 'b/kustomization.yaml');
  assert.is(matchGenerator([genA, genB], { kind: 'Secret', metadata: { name: 'creds-k695gkmbtk', namespace: 'team-b' } }, none), genB);
  assert.is(matchGenerator([genA, genB], { kind: 'Secret', metadata: { name: 'creds-k695gkmbtk', namespace: 'other' } }, none), genA);
});

test('matchGenerator: the generator of that kind whose name, with affixes and an optional hash, is the object\'s', () => {
  const generator = (kind: 'ConfigMap' | 'Secret', name: string): Generator => ({ kind, name, file: 'k/kustomization.yaml', index: 0, path: ['secretGenerator', 0, 'name'] });
  const gen = generator('Secret', 'gen');
  const genExtra = generator('Secret', 'gen-extra');
  assert.is(matchGenerator([gen, genExtra], doc('Secret', 'gen-k695gkmbtk'), none), gen);
  assert.is(matchGenerator([gen, genExtra], doc('Secret', 'gen-extra-k695gkmbtk'), none), genExtra);
  assert.is(matchGenerator([gen], doc('Secret', 'p-gen'), { prefixes: ['p-'], suffixes: [] }), gen);
  assert.is(matchGenerator([gen], doc('ConfigMap', 'gen-k695gkmbtk'), none), undefined);
  assert.is(matchGenerator([gen], doc('Secret', 'gen-short'), none), undefined);
});

test.run();
