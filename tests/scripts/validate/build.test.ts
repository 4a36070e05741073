// A Flux Kustomization's path built as kustomize-controller builds it (real kubectl kustomize),
// its transformations, and what validate takes from them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { clusterModel } from '../../../scripts/gitops/flux.ts';
import { loadTree } from '../../../scripts/gitops/tree.ts';
import type { Obj } from '../../../scripts/gitops/yaml.ts';
import { buildAll, buildRequestOf, cleanMessage } from '../../../scripts/validate/build.ts';
import { validate } from '../../../scripts/validate/validate.ts';
import { variablesOf } from '../../../scripts/validate/variables.ts';
import { removeTestdirs, testdir } from '../../helpers/testdir.ts';
import { BASE, brief, configMap, fluxKustomization, kubectlKustomize, kustomization, validateTree } from './fixture.ts';

test.after.each(removeTestdirs);

const APPS = 'clusters/dev/apps.yaml';
const appsWith = (...spec: string[]) => fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', ...spec);
const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/example/web:1.0.0\n';
const component = {
  'infrastructure/apps/extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - extra.yaml\n',
  'infrastructure/apps/extra/extra.yaml': configMap('extra', 'apps', 'e: "1"'),
};

// The objects of the apps Kustomization's build, as `Kind namespace/name`, with the fields asked for.
async function builtApps(files: Record<string, string>): Promise<Obj[]> {
  const root = testdir({ ...BASE, ...files });
  const apps = clusterModel(loadTree(root), 'dev').kustomizations.find((k) => k.id === 'flux-system/apps')!;
  const request = buildRequestOf(apps);
  const outcome = (await buildAll(root, [request], kubectlKustomize, 1)).get(request.key);
  if (!outcome?.ok) throw new Error(`build failed: ${outcome ? outcome.message : 'no outcome'}`);
  return outcome.objects.map((o) => o.doc);
}

test('builds the path with the Kustomization\'s namePrefix, nameSuffix, patches, images and components', async () => {
  const docs = await builtApps({
    ...component,
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'config.yaml', 'web.yaml'),
    'infrastructure/apps/web.yaml': deployment,
    [APPS]: appsWith(
      'namePrefix: p-', 'nameSuffix: -s',
      'patches:', '  - target:', '      kind: Deployment', '    patch: |', '      - op: replace', '        path: /spec/replicas', '        value: 3',
      'images:', '  - name: ghcr.io/example/web', '    newTag: 2.0.0',
      'components:', '  - extra',
    ),
  });
  const names = docs.map((d) => `${String(d.kind)} ${String((d.metadata as Obj).namespace ?? '')}/${String((d.metadata as Obj).name)}`).sort();
  assert.equal(names, ['ConfigMap apps/p-extra-s', 'ConfigMap apps/p-settings-s', 'Deployment apps/p-web-s', 'Namespace /apps']);
  const web = docs.find((d) => d.kind === 'Deployment') as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
  assert.is(web.spec.replicas, 3);
  assert.is(web.spec.template.spec.containers[0].image, 'ghcr.io/example/web:2.0.0');
  // The build's own marker label is gone.
  assert.equal(docs.map((d) => (d.metadata as Obj).labels).filter(Boolean), []);
});

test('commonMetadata is applied after the build: a label it adds counts for the dashboard policy', async () => {
  const dashboard = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana-dashboard-a\n  namespace: apps\ndata:\n  a.json: \'{"uid": "a"}\'\n';
  const files = { 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'a.yaml'), 'infrastructure/apps/a.yaml': dashboard };
  const without = await validateTree(files);
  assert.equal(brief(without.findings), ['error policy/dashboard-label infrastructure/apps/a.yaml:3']);
  const labelled = await validateTree({ ...files, [APPS]: appsWith('commonMetadata:', '  labels:', '    grafana_dashboard: "1"') });
  assert.equal(labelled.findings, []);
});

test('postBuild variables: later substituteFrom ConfigMaps win, and substitute wins over them', () => {
  const root = testdir({
    ...BASE,
    [APPS]: appsWith('postBuild:', '  substitute:', '    C: from-substitute', '  substituteFrom:', '    - kind: ConfigMap', '      name: first', '    - kind: ConfigMap', '      name: second'),
  });
  const tree = loadTree(root);
  const apps = clusterModel(tree, 'dev').kustomizations.find((k) => k.id === 'flux-system/apps')!;
  const sources: Obj[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first', namespace: 'flux-system' }, data: { A: 'first', B: 'first', C: 'first' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second', namespace: 'flux-system' }, data: { B: 'second', C: 'second' } },
  ];
  const findings: never[] = [];
  const variables = variablesOf(apps, (apps.manifest.doc.spec as Obj).postBuild as Obj, (predicate) => sources.find(predicate), 'dev', findings, tree);
  assert.equal(Object.fromEntries(variables.values), { A: 'first', B: 'second', C: 'from-substitute' });
  assert.equal(findings, []);
});

test('a file of a spec.components folder is an input: no "never applied" warning, and a change to it is not hidden by the cache', async () => {
  const root = testdir({ ...BASE, ...component, [APPS]: appsWith('components:', '  - extra', 'postBuild:', '  substitute:', '    A: one') });
  const cacheDir = mkdtempSync(join(tmpdir(), 'validate-cache-'));
  try {
    const first = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    assert.equal(first.findings, []);
    writeFileSync(join(root, 'infrastructure/apps/extra/extra.yaml'), configMap('extra', 'apps', 'e: "${Z}"'));
    const second = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    assert.equal(second.findings.map((f) => `${f.rule} ${f.file} ${f.message}`), [
      "graph/unresolved-variable infrastructure/apps/extra/extra.yaml ${Z} in data.e has no value in Kustomization flux-system/apps's postBuild: Flux would substitute an empty string",
    ]);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

// The message of the apps Kustomization's failed build (real kubectl kustomize), after validate's cleaning.
async function failedApps(files: Record<string, string>): Promise<string> {
  const result = await validateTree(files);
  assert.equal(brief(result.findings), [`error build/failed ${APPS}:21`]);
  return result.findings[0].message;
}

test('a failed build shows kustomize\'s cause at the kustomization file that names it: a missing folder, a nested kustomization', async () => {
  assert.is(await failedApps({ 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'nothere') }),
    'kustomize build of infrastructure/apps failed: infrastructure/apps/kustomization.yaml: resource nothere: open infrastructure/apps/nothere: no such file or directory');
  assert.is(await failedApps({ 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'sub'), 'infrastructure/apps/sub/kustomization.yaml': kustomization('../config.yaml', '../missing.yaml') }),
    'kustomize build of infrastructure/apps failed: infrastructure/apps/sub/kustomization.yaml: resource ../missing.yaml: open infrastructure/apps/missing.yaml: no such file or directory');
});

test('a failed build shows kustomize\'s cause: an object defined twice, a patch without target, invalid YAML in a patch', async () => {
  assert.is(await failedApps({ 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'again.yaml'), 'infrastructure/apps/again.yaml': configMap('settings', 'apps') }),
    'kustomize build of infrastructure/apps failed: infrastructure/apps/kustomization.yaml: resource again.yaml: may not add resource with an already registered id: ConfigMap.v1.[noGrp]/settings.apps');
  assert.is(await failedApps({ 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml') + 'patches:\n  - path: patch.yaml\n', 'infrastructure/apps/patch.yaml': configMap('other', 'apps') }),
    'kustomize build of infrastructure/apps failed: infrastructure/apps/kustomization.yaml: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/other.apps": no matches for Id ConfigMap.v1.[noGrp]/other.apps; failed to find unique target for patch ConfigMap.v1.[noGrp]/other.apps');
  assert.is(await failedApps({ 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml') + 'patches:\n  - patch: |\n      kind: ConfigMap\n      metadata: [\n    target:\n      kind: ConfigMap\n' }),
    'kustomize build of infrastructure/apps failed: infrastructure/apps/kustomization.yaml: trouble configuring builtin PatchTransformer with config: ` patch: | kind: ConfigMap metadata: [ target: kind: ConfigMap `: unable to parse SM or JSON patch from [patch: "kind: ConfigMap\\nmetadata: ["]');
});

test('a failed build of the Flux Kustomization\'s own patches names no kustomization file', async () => {
  assert.is(await failedApps({ [APPS]: appsWith('patches:', '  - patch: |', '      apiVersion: v1', '      kind: ConfigMap', '      metadata:', '        name: other', '        namespace: apps') }),
    'kustomize build of infrastructure/apps failed: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/other.apps": no matches for Id ConfigMap.v1.[noGrp]/other.apps; failed to find unique target for patch ConfigMap.v1.[noGrp]/other.apps');
});

test('cleanMessage: kubectl\'s log prefix and quoting go, and paths relative to a wrapper folder elsewhere become repo-relative', () => {
  const root = testdir({ 'infrastructure/apps/kustomization.yaml': kustomization('missing.yaml') });
  const dir = '/var/tmp/x/gitops-validate-AbC123';
  const repo = relative(join(dir, 'k0'), root);
  assert.ok(repo.startsWith('../../../'), repo);
  const raw = `E1129 20:01:09.635902   21872 run.go:72] "command failed" err="accumulating resources: accumulation err='accumulating resources from 'k0': read ${dir}/k0: is a directory': recursed accumulation of path '${dir}/k0': `
    + `accumulating resources: accumulation err='accumulating resources from '${repo}/infrastructure/apps': read ${root}/infrastructure/apps: is a directory': recursed accumulation of path '${root}/infrastructure/apps': `
    + `no resource matches strategic merge patch \\"ConfigMap.v1.[noGrp]/a.apps\\": see ${repo}/infrastructure/apps/p.yaml"\n`;
  assert.is(cleanMessage(raw, dir, root), 'infrastructure/apps/kustomization.yaml: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/a.apps": see infrastructure/apps/p.yaml');
});

test.run();
