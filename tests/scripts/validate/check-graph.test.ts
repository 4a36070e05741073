import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configMap, fluxKustomization, kustomization, validateTree } from './fixture.ts';

const APPS = 'clusters/dev/apps.yaml';
const found = (result: { findings: { rule: string; file: string; line: number; object?: string; message: string }[] }) =>
  result.findings.map((f) => `${f.rule} ${f.file}:${f.line} [${f.object ?? ''}] ${f.message}`);

// A folder with its own ConfigMap, so each Kustomization builds something of its own.
const folder = (name: string) => ({
  [`infrastructure/${name}/kustomization.yaml`]: kustomization('config.yaml'),
  [`infrastructure/${name}/config.yaml`]: configMap(name, 'apps'),
});

test('reports every dependsOn cycle of a cluster, each at the dependsOn line of its first Kustomization', async () => {
  const result = await validateTree({
    ...folder('a'), ...folder('b'), ...folder('c'),
    [APPS]: [
      fluxKustomization('sources', './infrastructure/sources'),
      fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', '  - name: apps'),
      fluxKustomization('a', './infrastructure/a', 'dependsOn:', '  - name: b'),
      fluxKustomization('b', './infrastructure/b', 'dependsOn:', '  - name: a'),
      fluxKustomization('c', './infrastructure/c', 'dependsOn:', '  - name: c'),
    ].join('---\n'),
  });
  assert.equal(found(result), [
    `graph/dependency-cycle ${APPS}:28 [Kustomization flux-system/apps] dependsOn cycle: flux-system/apps -> flux-system/apps; none of them will ever be applied`,
    `graph/dependency-cycle ${APPS}:43 [Kustomization flux-system/a] dependsOn cycle: flux-system/a -> flux-system/b -> flux-system/a; none of them will ever be applied`,
    `graph/dependency-cycle ${APPS}:73 [Kustomization flux-system/c] dependsOn cycle: flux-system/c -> flux-system/c; none of them will ever be applied`,
  ]);
  assert.is(result.exitCode, 1);
});

test('an object three Kustomizations define: each one after the first gets a finding naming both Kustomizations and both places', async () => {
  const result = await validateTree({
    'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', '../apps/config.yaml'),
    'infrastructure/extra/kustomization.yaml': kustomization('../apps/more.yaml'),
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'more.yaml'),
    'infrastructure/apps/more.yaml': configMap('other', 'apps') + '---\n' + configMap('settings', 'apps'),
    [APPS]: [
      fluxKustomization('sources', './infrastructure/sources'),
      fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources'),
      fluxKustomization('extra', './infrastructure/extra'),
    ].join('---\n'),
  });
  assert.equal(found(result), [
    'graph/duplicate-object infrastructure/apps/more.yaml:1 [ConfigMap apps/other] ConfigMap apps/other is defined by Kustomization flux-system/extra (here, infrastructure/apps/more.yaml:1) and by Kustomization flux-system/apps (infrastructure/apps/more.yaml:1): the two fight over it',
    'graph/duplicate-object infrastructure/apps/more.yaml:9 [ConfigMap apps/settings] ConfigMap apps/settings is defined by Kustomization flux-system/apps (here, infrastructure/apps/more.yaml:9) and by Kustomization flux-system/sources (infrastructure/apps/config.yaml:1): the two fight over it',
    'graph/duplicate-object infrastructure/apps/more.yaml:9 [ConfigMap apps/settings] ConfigMap apps/settings is defined by Kustomization flux-system/extra (here, infrastructure/apps/more.yaml:9) and by Kustomization flux-system/sources (infrastructure/apps/config.yaml:1): the two fight over it',
  ]);
});

test.run();
