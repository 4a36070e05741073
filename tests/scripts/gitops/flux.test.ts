import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyOrder, clusterModel, kustomizationsBuilding } from '../../../scripts/gitops/flux.ts';
import { fluxPathInputs, kustomizationInputs } from '../../../scripts/gitops/inputs.ts';
import { loadTree } from '../../../scripts/gitops/tree.ts';
import { removeDir, testdir } from '../../helpers/testdir.ts';

const ks = (name: string, path: string, extra = '') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
const kustomization = (...resources: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\n`;

// A cluster whose root builds clusters/dev; apps depends on base; apps' path has no kustomization file.
const files = {
  'clusters/dev/kustomization.yaml': kustomization('flux-system', 'apps.yaml'),
  'clusters/dev/flux-system/kustomization.yaml': kustomization('gotk-sync.yaml'),
  'clusters/dev/flux-system/gotk-sync.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: ssh://git@example.com/x\n---\n' +
    ks('flux-system', './clusters/dev'),
  'clusters/dev/apps.yaml': ks('apps', './apps', '  dependsOn:\n    - name: base\n') + '---\n' + ks('base', './base/'),
  'base/kustomization.yaml': kustomization('one.yaml', 'nested'),
  'base/one.yaml': cm('one'),
  'base/nested/kustomization.yaml': 'resources: [two.yaml]\nconfigMapGenerator:\n  - name: gen\n    files: [key=data.txt]\n',
  'base/nested/two.yaml': cm('two'),
  'base/nested/data.txt': 'x',
  'base/unlisted.yaml': cm('unlisted'),
  'apps/a.yaml': cm('a'),
  'apps/sub/b.yml': cm('b'),
  'apps/kust/kustomization.yaml': kustomization('c.yaml'),
  'apps/kust/c.yaml': cm('c'),
  'apps/kust/deeper/d.yaml': cm('d'),
};

test('reads the inputs of a kustomization: listed files, nested folders, generator sources', () => {
  const dir = testdir(files);
  try {
    const inputs = kustomizationInputs(dir, './base/');
    assert.equal([...inputs.dirs], ['base', 'base/nested']);
    assert.equal([...inputs.files].sort(), ['base/kustomization.yaml', 'base/nested/data.txt', 'base/nested/kustomization.yaml', 'base/nested/one.yaml', 'base/nested/two.yaml'].filter((f) => f !== 'base/nested/one.yaml').concat('base/one.yaml').sort());
    assert.equal(inputs.missing, []);
  } finally {
    removeDir(dir);
  }
});

test('the files of configurations, crds, openapi, patches and replacements entries are inputs too', () => {
  const dir = testdir({
    'k/kustomization.yaml': 'resources: [a.yaml]\nconfigurations: [kconfig.yaml]\ncrds: [crd.json]\nopenapi:\n  path: schema.json\npatches:\n  - path: patch.yaml\nreplacements:\n  - path: replacement.yaml\n',
    'k/a.yaml': cm('a'), 'k/kconfig.yaml': 'commonLabels: []\n', 'k/crd.json': '{}', 'k/schema.json': '{}', 'k/patch.yaml': cm('a'), 'k/replacement.yaml': 'source: {}\n',
  });
  try {
    const inputs = kustomizationInputs(dir, 'k');
    assert.equal([...inputs.files].sort(), ['k/a.yaml', 'k/crd.json', 'k/kconfig.yaml', 'k/kustomization.yaml', 'k/patch.yaml', 'k/replacement.yaml', 'k/schema.json']);
    assert.equal(inputs.missing, []);
  } finally {
    removeDir(dir);
  }
});

test('a Flux path without a kustomization file takes every manifest below it, a nested kustomization as a whole', () => {
  const dir = testdir(files);
  try {
    assert.equal([...fluxPathInputs(dir, 'apps').files].sort(), ['apps/a.yaml', 'apps/kust/c.yaml', 'apps/kust/kustomization.yaml', 'apps/sub/b.yml']);
  } finally {
    removeDir(dir);
  }
});

test("a Flux Kustomization's spec.components are part of what it builds", () => {
  const component = { 'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - extra.yaml\n', 'comp/extra.yaml': cm('extra') };
  const dir = testdir({
    ...files,
    ...Object.fromEntries(Object.entries(component).map(([path, text]) => [`base/${path}`, text])),
    'clusters/dev/apps.yaml': ks('apps', './apps', '  dependsOn:\n    - name: base\n') + '---\n' + ks('base', './base/', '  components:\n    - ./comp\n'),
  });
  try {
    assert.equal([...fluxPathInputs(dir, 'base', undefined, undefined, ['./comp']).dirs], ['base', 'base/nested', 'base/comp']);
    const model = clusterModel(loadTree(dir), 'dev');
    const base = model.kustomizations.find((k) => k.id === 'flux-system/base')!;
    assert.ok(base.inputs.files.has('base/comp/extra.yaml'));
    assert.ok(base.inputs.files.has('base/comp/kustomization.yaml'));
    assert.equal(kustomizationsBuilding([model], 'base/comp/extra.yaml').map((b) => `${b.cluster} ${b.kustomization.id}`), ['dev flux-system/base']);
  } finally {
    removeDir(dir);
  }
});

test('models a cluster: Kustomizations, sources, apply order and who builds a file', () => {
  const dir = testdir(files);
  try {
    const tree = loadTree(dir);
    assert.equal(tree.clusters, ['dev']);
    const model = clusterModel(tree, 'dev');
    assert.is(model.rootSource, 'GitRepository flux-system/flux-system');
    assert.equal(model.kustomizations.map((k) => [k.id, k.path, k.local, k.dependsOn]), [
      ['flux-system/flux-system', 'clusters/dev', true, []],
      ['flux-system/apps', 'apps', true, ['flux-system/base']],
      ['flux-system/base', 'base', true, []],
    ]);
    assert.equal(model.sources.map((m) => m.file), ['clusters/dev/flux-system/gotk-sync.yaml']);
    assert.equal(applyOrder(model), ['flux-system/flux-system', 'flux-system/base', 'flux-system/apps']);
    assert.equal(kustomizationsBuilding([model], 'base/nested/data.txt').map((o) => o.kustomization.id), ['flux-system/base']);
    assert.equal(kustomizationsBuilding([model], 'base/unlisted.yaml'), []);
    assert.equal(model.manifests.find((m) => m.manifest.file === 'apps/sub/b.yml')?.owner, 'flux-system/apps');
  } finally {
    removeDir(dir);
  }
});

test.run();
