// Checks the Flux GitOps tree (infrastructure/, clusters/) as committed: every kustomization
// builds with the real `kubectl kustomize` (offline), and the Flux objects hang together.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

import { kustomizationInputs } from '../scripts/gitops/inputs.ts';
import { clusterModel, dependsOnOf, isFluxKustomization } from '../scripts/gitops/flux.ts';
import { loadTree, type Manifest } from '../scripts/gitops/tree.ts';
import { at, isObj, objectsOf, parseYamlFile, type Obj } from '../scripts/gitops/yaml.ts';
import { validate } from '../scripts/validate/validate.ts';
import { EXACT_VERSION } from '../scripts/validate/chart-pinning.ts';
import { kubectlKustomize as kubectlKustomizeRunner } from './scripts/validate/fixture.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const tree = loadTree(root);
const DASHBOARDS = 'infrastructure/logging/dashboards';
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;


// Every YAML document under `dir`, with the file it came from.
const manifests = (dir: string): Manifest[] => tree.manifestsUnder(dir);

// The first YAML object in a repo file.
function readYaml(file: string): Obj {
  const [doc] = tree.manifests(file);
  assert.ok(doc, `${file} holds no YAML object`);
  return doc.doc;
}

// A kustomization's resources with `./` and trailing slashes removed.
function resourcesOf(file: string): string[] {
  const resources = at(readYaml(file), 'resources');
  assert.ok(Array.isArray(resources), `${file} has no resources list`);
  return resources.map((entry) => String(entry).replace(/^\.\//, '').replace(/\/$/, ''));
}

// The kustomization directories a kustomization directory pulls in (itself included).
const reachableDirs = (dir: string): Set<string> => kustomizationInputs(root, dir).dirs;

const nameOf = (m: Manifest): string => String(at(m.doc, 'metadata', 'name'));
const namespaceOf = (m: Manifest): string => String(at(m.doc, 'metadata', 'namespace'));

// `kubectl kustomize <dir>` (repo-relative) as validate runs it; fails the test with kubectl's message.
async function kubectlKustomize(dir: string): Promise<string> {
  const result = await kubectlKustomizeRunner(join(root, dir));
  if (!result.ok) assert.unreachable(`kubectl kustomize ${dir} failed: ${result.message}`);
  return result.ok ? result.stdout : '';
}

// --- every kustomization builds ---------------------------------------------------------

const kustomizationDirs = tree.files
  .filter((file) => basename(file) === 'kustomization.yaml')
  .map(dirname);

test('finds a kustomization in every layer and cluster directory', () => {
  const required = [
    'infrastructure', 'infrastructure/sources', 'infrastructure/storage', 'infrastructure/controllers',
    'infrastructure/gateway', 'infrastructure/logging', 'infrastructure/monitoring', DASHBOARDS,
    `${DASHBOARDS}/prometheus`, `${DASHBOARDS}/loki`, `${DASHBOARDS}/tempo`, `${DASHBOARDS}/mixed`,
    'clusters/staging', 'clusters/staging/flux-system', 'clusters/production', 'clusters/production/flux-system',
  ];
  assert.equal(required.filter((dir) => !kustomizationDirs.includes(dir)), []);
});

// validate builds every Flux Kustomization's path once, as Flux does, and checks the result: among
// the rest, every dependsOn and sourceRef names something that exists, no dependsOn cycle, chart
// versions exact, every object valid against its schema.
test('validate finds nothing in the shipped tree', async () => {
  const result = await validate({ root, kustomize: kubectlKustomizeRunner });
  assert.equal(result.findings, []);
  const { clusters, kustomizations, withoutSchema } = result.summary;
  assert.equal({ clusters, kustomizations, withoutSchema }, { clusters: 2, kustomizations: 14, withoutSchema: {} });
});

// Kustomization folders no Flux path builds (infrastructure/ itself): built on their own.
const unbuiltByFlux = kustomizationDirs.filter((dir) =>
  !tree.clusters.some((cluster) => clusterModel(tree, cluster).kustomizations.some((k) => k.inputs.dirs.has(dir))));
test('only infrastructure/ is a kustomization no Flux Kustomization builds', () => {
  assert.equal(unbuiltByFlux, ['infrastructure']);
});
for (const dir of unbuiltByFlux) {
  test(`${dir} builds with kubectl kustomize`, async () => {
    await kubectlKustomize(dir);
  });
}

// --- infrastructure ---------------------------------------------------------------------

test('infrastructure/kustomization.yaml lists the layers in order', () => {
  assert.equal(resourcesOf('infrastructure/kustomization.yaml'),
    ['sources', 'storage', 'controllers', 'gateway', 'logging', 'monitoring']);
});

const helmRepositories = manifests('infrastructure/sources').filter((m) => m.doc.kind === 'HelmRepository');
const helmReleases = manifests('infrastructure').filter((m) => m.doc.kind === 'HelmRelease');

test('infrastructure declares the expected HelmReleases', () => {
  assert.equal(helmReleases.map((m) => `${namespaceOf(m)}/${nameOf(m)}`).sort(), [
    'envoy-gateway-system/envoy-gateway', 'logging/alloy', 'logging/grafana', 'logging/loki', 'logging/tempo',
    'monitoring/kube-prometheus-stack', 'monitoring/metrics-server',
  ]);
});

for (const release of helmReleases) {
  const id = `${namespaceOf(release)}/${nameOf(release)}`;
  test(`HelmRelease ${id} pins an exact chart version from a HelmRepository in infrastructure/sources`, () => {
    assert.is(release.doc.apiVersion, 'helm.toolkit.fluxcd.io/v2', release.file);
    const chart = at(release.doc, 'spec', 'chart', 'spec');
    const version = at(chart, 'version');
    assert.type(version, 'string', `${release.file}: chart version must be a string`);
    assert.ok(EXACT_VERSION.test(String(version)), `${release.file}: chart version ${String(version)} is not exact`);
    assert.is(at(chart, 'sourceRef', 'kind'), 'HelmRepository', release.file);
    const ref = `${String(at(chart, 'sourceRef', 'namespace'))}/${String(at(chart, 'sourceRef', 'name'))}`;
    const known = helmRepositories.map((m) => `${namespaceOf(m)}/${nameOf(m)}`);
    assert.ok(known.includes(ref), `${release.file}: HelmRepository ${ref} not found among ${known.join(', ')}`);
  });
}

// The values of the one HelmRelease that installs the grafana chart.
const grafanaValues = (): Obj => {
  const grafana = helmReleases.filter((m) => at(m.doc, 'spec', 'chart', 'spec', 'chart') === 'grafana');
  assert.is(grafana.length, 1, 'exactly one HelmRelease of the grafana chart');
  const values = at(grafana[0]?.doc, 'spec', 'values');
  assert.ok(isObj(values), 'the grafana HelmRelease has values');
  return values;
};

test('Grafana loads dashboards from ConfigMaps labelled grafana_dashboard in logging', () => {
  const sidecar = at(grafanaValues(), 'sidecar', 'dashboards');
  assert.is(at(sidecar, 'enabled'), true);
  assert.is(at(sidecar, 'label'), 'grafana_dashboard');
  assert.is(at(sidecar, 'labelValue'), '1');
  assert.is(at(sidecar, 'folderAnnotation'), 'grafana_folder');
  assert.is(at(sidecar, 'provider', 'foldersFromFilesStructure'), true);
  const search = at(sidecar, 'searchNamespace');
  const namespaces = Array.isArray(search) ? search.map(String) : String(search).split(',');
  assert.ok(namespaces.includes('logging'), `searchNamespace ${JSON.stringify(search)} does not include logging`);
});

test('Grafana takes its admin credentials from a Secret, never a literal', () => {
  const values = grafanaValues();
  assert.type(at(values, 'admin', 'existingSecret'), 'string');
  assert.ok(String(at(values, 'admin', 'existingSecret')).length > 0);
  assert.is(at(values, 'adminPassword'), undefined);
});

test('Grafana provisions Prometheus, Loki and Tempo with stable uids', () => {
  const list = at(grafanaValues(), 'datasources', 'datasources.yaml', 'datasources');
  assert.ok(Array.isArray(list), 'datasources.yaml has a datasources list');
  assert.equal(list.map((ds) => `${String(at(ds, 'type'))}=${String(at(ds, 'uid'))}`).sort(),
    ['loki=loki', 'prometheus=prometheus', 'tempo=tempo']);
});

test('infrastructure/logging/kustomization.yaml lists dashboards', () => {
  assert.ok(resourcesOf('infrastructure/logging/kustomization.yaml').includes('dashboards'));
});

test(`${DASHBOARDS} and its folders are reachable from infrastructure/logging`, () => {
  const reachable = reachableDirs('infrastructure/logging');
  const expected = [DASHBOARDS, ...['prometheus', 'loki', 'tempo', 'mixed'].map((f) => `${DASHBOARDS}/${f}`)];
  assert.equal(expected.filter((dir) => !reachable.has(dir)), []);
});

test('the reachability walk follows nested kustomization directories only', () => {
  const fromRoot = reachableDirs('infrastructure');
  assert.ok(fromRoot.has(DASHBOARDS), 'infrastructure reaches the dashboards through logging');
  assert.not.ok(reachableDirs('infrastructure/gateway').has(DASHBOARDS));
  assert.not.ok([...fromRoot].some((dir) => dir.endsWith('.yaml')), 'files are not directories');
});

test('every dashboard ConfigMap containing ${ disables Flux substitution', () => {
  for (const m of manifests(DASHBOARDS)) {
    if (m.doc.kind !== 'ConfigMap' || !JSON.stringify(at(m.doc, 'data') ?? {}).includes('${')) continue;
    assert.is(at(m.doc, 'metadata', 'annotations', 'kustomize.toolkit.fluxcd.io/substitute'), 'disabled',
      `${m.file}: ${nameOf(m)} needs kustomize.toolkit.fluxcd.io/substitute: disabled`);
  }
});

test(`${DASHBOARDS}/kustomization.yaml lists one folder per data source`, () => {
  assert.equal(resourcesOf(`${DASHBOARDS}/kustomization.yaml`), ['prometheus', 'loki', 'tempo', 'mixed']);
});

test('every dashboard ConfigMap is in logging, labelled "1" and listed by its folder kustomization', () => {
  for (const m of manifests(DASHBOARDS)) {
    const label = at(m.doc, 'metadata', 'labels', 'grafana_dashboard');
    if (m.doc.kind !== 'ConfigMap' || label === undefined) continue;
    assert.is(namespaceOf(m), 'logging', `${m.file}: namespace`);
    assert.is(label, '1', `${m.file}: the sidecar only loads grafana_dashboard="1"`);
    const kustomization = posix.join(dirname(m.file), 'kustomization.yaml');
    assert.ok(existsSync(join(root, kustomization)), `${m.file}: no ${kustomization}`);
    assert.ok(resourcesOf(kustomization).includes(basename(m.file)), `${m.file} is not listed in ${kustomization}`);
  }
});

// --- clusters ---------------------------------------------------------------------------

const clusters = tree.clusters;
const fluxKustomizations = (cluster: string): Manifest[] =>
  manifests(`clusters/${cluster}`).filter((m) => isFluxKustomization(m.doc));
const idOf = (m: Manifest): string => `${namespaceOf(m)}/${nameOf(m)}`;
// dependsOn entries default to the dependent's own namespace.
const dependencyIds = (m: Manifest): string[] => dependsOnOf(m.doc, namespaceOf(m));
// spec.path as a repo-relative directory (`./infrastructure/logging` -> `infrastructure/logging`).
const pathOf = (m: Manifest): string => posix.normalize(String(at(m.doc, 'spec', 'path'))).replace(/\/$/, '');
const isBootstrap = (cluster: string, m: Manifest): boolean => m.file.startsWith(`clusters/${cluster}/flux-system/`);
// The infrastructure layers in directory order (sources -> ... -> monitoring).
const LAYERS = ['sources', 'storage', 'controllers', 'gateway', 'logging', 'monitoring'].map((l) => `infrastructure/${l}`);

test('clusters holds staging and production', () => {
  assert.equal(clusters, ['production', 'staging']);
});

test('staging and production define the same Flux Kustomizations', () => {
  const names = (cluster: string) => fluxKustomizations(cluster).map(idOf).sort();
  assert.equal(names('staging'), [
    'flux-system/flux-system', 'flux-system/infra-controllers', 'flux-system/infra-gateway', 'flux-system/infra-sources',
    'flux-system/infra-storage', 'flux-system/logging', 'flux-system/monitoring',
  ]);
  assert.equal(names('production'), names('staging'));
});

for (const cluster of clusters) {
  test(`clusters/${cluster}: the Flux model finds the same Kustomizations and an apply order`, () => {
    const model = clusterModel(tree, cluster);
    assert.equal(model.kustomizations.map((k) => k.id).sort(), fluxKustomizations(cluster).map(idOf).sort());
    assert.ok(model.kustomizations.every((k) => k.local), 'every Kustomization builds from this repository');
  });

  test(`clusters/${cluster}: each infrastructure layer has exactly one Kustomization, and nothing else is applied`, () => {
    const paths = fluxKustomizations(cluster).filter((m) => !isBootstrap(cluster, m)).map(pathOf).sort();
    assert.equal(paths, [...LAYERS].sort());
  });

  test(`clusters/${cluster}: a Kustomization only depends on earlier layers`, () => {
    const all = fluxKustomizations(cluster);
    const layerOf = new Map(all.map((m) => [idOf(m), LAYERS.indexOf(pathOf(m))]));
    for (const m of all.filter((k) => !isBootstrap(cluster, k))) {
      const own = layerOf.get(idOf(m)) ?? -1;
      assert.ok(own >= 0, `${m.file}: ${idOf(m)} path ${pathOf(m)} is not a layer`);
      for (const dep of dependencyIds(m)) {
        const layer = layerOf.get(dep) ?? -1;
        assert.ok(layer >= 0 && layer < own,
          `${m.file}: ${idOf(m)} (${LAYERS[own]}) depends on ${dep} (${LAYERS[layer] ?? 'not a layer'}), not an earlier layer`);
      }
    }
  });

  test(`clusters/${cluster}: no two Kustomizations manage the same directory`, () => {
    const all = fluxKustomizations(cluster).filter((m) => !isBootstrap(cluster, m));
    for (const a of all) {
      const reachable = reachableDirs(pathOf(a));
      for (const b of all) {
        if (a !== b) assert.not.ok(reachable.has(pathOf(b)), `${idOf(a)} (${pathOf(a)}) also applies ${pathOf(b)}, managed by ${idOf(b)}`);
      }
    }
  });

  test(`clusters/${cluster}: the gateway layer waits for the controllers that install its CRDs`, () => {
    const all = fluxKustomizations(cluster);
    const byPath = (path: string) => all.find((m) => pathOf(m) === path);
    const gateway = byPath('infrastructure/gateway');
    const controllers = byPath('infrastructure/controllers');
    assert.ok(gateway && controllers, 'Kustomizations for gateway and controllers');
    assert.ok(dependencyIds(gateway).includes(idOf(controllers)), `${idOf(gateway)} must depend on ${idOf(controllers)}`);
    assert.is(at(controllers.doc, 'spec', 'wait'), true, `${idOf(controllers)} wait`);
  });

  test(`clusters/${cluster}: the Kustomization applying the dashboards has no postBuild substitution`, () => {
    const applying = fluxKustomizations(cluster).filter((m) => !isBootstrap(cluster, m) && reachableDirs(pathOf(m)).has(DASHBOARDS));
    assert.equal(applying.map(idOf), ['flux-system/logging']);
    for (const m of applying) assert.is(at(m.doc, 'spec', 'postBuild'), undefined, `${m.file}: ${idOf(m)} postBuild`);
  });

  test(`clusters/${cluster}: Kustomizations that others depend on wait for readiness`, () => {
    const all = fluxKustomizations(cluster);
    const depended = new Set(all.flatMap(dependencyIds));
    assert.ok(depended.size > 0, 'no Kustomization has dependents');
    for (const m of all.filter((k) => depended.has(idOf(k)))) assert.is(at(m.doc, 'spec', 'wait'), true, `${m.file}: ${idOf(m)} wait`);
  });

  test(`clusters/${cluster}: every Kustomization sets prune, interval, retryInterval, timeout and its source`, () => {
    for (const m of fluxKustomizations(cluster)) {
      assert.is(at(m.doc, 'spec', 'prune'), true, `${m.file}: ${idOf(m)} prune`);
      assert.ok(DURATION.test(String(at(m.doc, 'spec', 'interval'))), `${m.file}: ${idOf(m)} interval`);
      assert.equal(at(m.doc, 'spec', 'sourceRef'), { kind: 'GitRepository', name: 'flux-system' }, `${m.file}: ${idOf(m)} sourceRef`);
      // NOTE: flux bootstrap writes flux-system/gotk-sync.yaml without a timeout and rewrites
      // the file on every bootstrap, so that one Kustomization is exempt.
      if (isBootstrap(cluster, m)) continue;
      assert.ok(DURATION.test(String(at(m.doc, 'spec', 'retryInterval'))), `${m.file}: ${idOf(m)} retryInterval`);
      assert.ok(DURATION.test(String(at(m.doc, 'spec', 'timeout'))), `${m.file}: ${idOf(m)} timeout`);
    }
  });

  test(`clusters/${cluster}: every Kustomization path is a kustomization directory`, () => {
    for (const m of fluxKustomizations(cluster)) {
      const path = String(at(m.doc, 'spec', 'path'));
      assert.ok(existsSync(join(root, path, 'kustomization.yaml')), `${m.file}: ${idOf(m)} path ${path}`);
    }
  });

  test(`clusters/${cluster}: flux-system syncs ./clusters/${cluster}`, () => {
    const sync = fluxKustomizations(cluster).filter((m) => idOf(m) === 'flux-system/flux-system');
    assert.equal(sync.map((m) => [m.file, at(m.doc, 'spec', 'path')]),
      [[`clusters/${cluster}/flux-system/gotk-sync.yaml`, `./clusters/${cluster}`]]);
  });

  test(`clusters/${cluster}: the cluster build contains every Flux Kustomization`, async () => {
    const built = objectsOf(parseYamlFile(`kubectl kustomize clusters/${cluster}`, await kubectlKustomize(`clusters/${cluster}`)))
      .map((o) => o.doc)
      .filter((doc) => doc.kind === 'Kustomization')
      .map((doc) => `${String(at(doc, 'metadata', 'namespace'))}/${String(at(doc, 'metadata', 'name'))}`)
      .sort();
    assert.equal(built, fluxKustomizations(cluster).map(idOf).sort());
  });
}

test.run();
