// --changed against a full run where Kustomizations refer to each other: sources, HelmRelease
// dependsOn, substituteFrom ConfigMaps, dashboard uids and files a kustomization stops listing. For
// each case a real git repository gets one change; the full run and --changed (its files from git)
// must report exactly the findings given.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedSince } from '../../../scripts/validate/run.ts';
import { validate } from '../../../scripts/validate/validate.ts';
import { git, gitdir, removeDir, type FileTree } from '../../helpers/testdir.ts';
import { BASE, configMap, fluxKustomization, helmRelease, kubectlKustomize, kustomization } from './fixture.ts';

const CONFIG = 'infrastructure/apps/config.yaml';
const APPS = 'clusters/dev/apps.yaml';
const EMPTY_KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n';

// A change: file → new text (undefined deletes it).
type Change = Record<string, string | undefined>;
const touchConfig: Change = { [CONFIG]: configMap('settings', 'apps', 'a: "changed"') };

// `tree` (over BASE; undefined leaves a file out) committed, then `change` made; each finding as `severity rule file:line message`.
async function fullAndChanged(tree: Change, change: Change): Promise<{ full: string[]; changed: string[]; selected: number }> {
  const files: FileTree = {};
  for (const [path, text] of Object.entries({ ...BASE, ...tree })) if (text !== undefined) files[path] = text;
  const dir = gitdir(files);
  try {
    for (const [file, text] of Object.entries(change)) {
      if (text === undefined) rmSync(join(dir, file));
      else writeFileSync(join(dir, file), text);
    }
    const since = await changedSince(async (args) => git(dir, ...args) + '\n', 'HEAD');
    const run = (changed?: string[], changedFlux?: string[]) => validate({ root: dir, kustomize: kubectlKustomize, jobs: 1, cache: false, changed, changedFlux });
    const lines = (r: Awaited<ReturnType<typeof run>>) => r.findings.map((f) => `${f.severity} ${f.rule} ${f.file}:${f.line} ${f.message}`);
    const full = await run();
    const partial = await run(since.files, since.flux);
    return { full: lines(full), changed: lines(partial), selected: partial.summary.kustomizations };
  } finally {
    removeDir(dir);
  }
}

async function same(tree: Change, change: Change, expected: string[]): Promise<number> {
  const { full, changed, selected } = await fullAndChanged(tree, change);
  assert.equal(full, expected, 'full run');
  assert.equal(changed, expected, '--changed');
  return selected;
}

const apps = (...spec: string[]) => fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', ...spec);
const release = (name: string, namespace: string) => helmRelease('6.5.0').replace('  name: podinfo\n  namespace: apps\n', `  name: ${name}\n  namespace: ${namespace}\n`);
const dashboard = (name: string, uid: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana-dashboard-${name}\n  namespace: apps\n  labels:\n    grafana_dashboard: "1"\ndata:\n  ${name}.json: '{"uid": "${uid}", "title": "${name}"}'\n`;
const dependsOn = (...deps: string[]) => helmRelease('6.5.0') + '  dependsOn:\n' + deps.map((d) => `    - ${d}\n`).join('');

test('a source renamed or moved by its build: referred to by its built name, without a false error', async () => {
  const prefixed = { [APPS]: fluxKustomization('sources', './infrastructure/sources', 'namePrefix: p-') + '---\n' + apps(), 'infrastructure/apps/release.yaml': helmRelease('6.5.0').replace('name: podinfo\n        namespace', 'name: p-podinfo\n        namespace') };
  assert.is(await same(prefixed, touchConfig, []), 1);
  const moved = { 'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml') + 'namespace: charts\n' };
  await same({ ...moved, 'infrastructure/apps/release.yaml': helmRelease('6.5.0').replace('namespace: flux-system', 'namespace: charts') }, touchConfig, []);
  // Its name as written is not what the cluster gets.
  await same(moved, touchConfig, ['error graph/missing-source infrastructure/apps/release.yaml:12 sourceRef HelmRepository flux-system/podinfo: no such source in cluster dev']);
});

test('a JSON 6902 patch that renames a source is a graph change: the HelmRelease referring to it fails in both runs', async () => {
  const tree = {
    'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml') + 'patches:\n  - path: rename.yaml\n    target:\n      kind: HelmRepository\n      name: podinfo\n',
    'infrastructure/sources/rename.yaml': '- op: replace\n  path: /spec/interval\n  value: 2h\n',
  };
  await same(tree, { 'infrastructure/sources/rename.yaml': '- op: replace\n  path: /metadata/name\n  value: podinfo2\n' },
    ['error graph/missing-source infrastructure/apps/release.yaml:12 sourceRef HelmRepository flux-system/podinfo: no such source in cluster dev']);
});

test('a kustomization file that stops listing the source or a dashboard: both runs report what it left', async () => {
  await same({}, { 'infrastructure/sources/kustomization.yaml': EMPTY_KUSTOMIZATION }, [
    'error graph/missing-source infrastructure/apps/release.yaml:12 sourceRef HelmRepository flux-system/podinfo: no such source in cluster dev',
    'warning graph/unreferenced-file infrastructure/sources/podinfo.yaml:1 no Flux Kustomization builds this file: it is never applied',
  ]);
  // A file in a folder below the kustomization file.
  const dashboards = { 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'dashboards/a.yaml'), 'infrastructure/apps/dashboards/a.yaml': dashboard('a', 'uid-a') };
  await same(dashboards, { 'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml') }, [
    'warning graph/unreferenced-file infrastructure/apps/dashboards/a.yaml:1 no Flux Kustomization builds this file: it is never applied',
    'error policy/dashboard-unlisted infrastructure/apps/dashboards/a.yaml:1 dashboard ConfigMap not listed in any kustomization that a Flux Kustomization builds: it is never applied',
  ]);
});

test('a kustomization file that stops listing a source in a subfolder: a graph change for --changed too', async () => {
  const tree = { 'infrastructure/sources/kustomization.yaml': kustomization('repos/podinfo.yaml'), 'infrastructure/sources/repos/podinfo.yaml': BASE['infrastructure/sources/podinfo.yaml'], 'infrastructure/sources/podinfo.yaml': undefined };
  await same(tree, { 'infrastructure/sources/kustomization.yaml': EMPTY_KUSTOMIZATION }, [
    'error graph/missing-source infrastructure/apps/release.yaml:12 sourceRef HelmRepository flux-system/podinfo: no such source in cluster dev',
    'warning graph/unreferenced-file infrastructure/sources/repos/podinfo.yaml:1 no Flux Kustomization builds this file: it is never applied',
  ]);
});

test('a HelmRelease dependsOn a release that its build moves or renames', async () => {
  const platform = (kust: string, ...spec: string[]) => ({
    [APPS]: BASE[APPS] + '---\n' + fluxKustomization('platform', './infrastructure/platform', ...spec),
    'infrastructure/platform/kustomization.yaml': kust,
    'infrastructure/platform/base.yaml': release('base', 'apps'),
  });
  const missing = (dep: string) => `error graph/missing-dependency infrastructure/apps/release.yaml:17 dependsOn ${dep}: no such HelmRelease in cluster dev`;
  await same({ ...platform(kustomization('base.yaml') + 'namespace: other\n'), 'infrastructure/apps/release.yaml': dependsOn('name: base\n      namespace: other') }, touchConfig, []);
  await same({ ...platform(kustomization('base.yaml') + 'namespace: other\n'), 'infrastructure/apps/release.yaml': dependsOn('name: base') }, touchConfig, [missing('apps/base')]);
  await same({ ...platform(kustomization('base.yaml'), 'namePrefix: p-'), 'infrastructure/apps/release.yaml': dependsOn('name: p-base') }, touchConfig, []);
  await same({ ...platform(kustomization('base.yaml'), 'targetNamespace: other'), 'infrastructure/apps/release.yaml': dependsOn('name: base\n      namespace: other') }, touchConfig, []);
});

// `vars` (its own Kustomization) gives apps ${GREETING} through substituteFrom.
const withVars = (varsSpec: string[], varsName = 'vars', ...refLines: string[]) => ({
  [APPS]: fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('vars', './infrastructure/vars', ...varsSpec) + '---\n' +
    apps('postBuild:', '  substituteFrom:', '    - kind: ConfigMap', `      name: ${varsName}`, ...refLines),
  'infrastructure/vars/kustomization.yaml': kustomization('vars.yaml'),
  'infrastructure/vars/vars.yaml': configMap('vars', 'flux-system', 'GREETING: hello'),
  [CONFIG]: configMap('settings', 'apps', 'a: "${GREETING}"'),
});

test('substituteFrom: a ConfigMap renamed by its build is found; one renamed in its file is missing in both runs', async () => {
  assert.is(await same(withVars(['namePrefix: p-'], 'p-vars'), touchConfig, []), 1);
  await same({ ...withVars([]), 'infrastructure/vars/kustomization.yaml': kustomization('vars.yaml') + 'namespace: flux-system\n', 'infrastructure/vars/vars.yaml': configMap('vars', 'other', 'GREETING: hello') }, touchConfig, []);
  await same(withVars([]), { 'infrastructure/vars/vars.yaml': configMap('vars2', 'flux-system', 'GREETING: hello') }, [
    'error graph/missing-substitute-source clusters/dev/apps.yaml:43 substituteFrom ConfigMap flux-system/vars is not defined in cluster dev: the Kustomization would fail',
    'error graph/unresolved-variable infrastructure/apps/config.yaml:7 ${GREETING} in data.a has no value in Kustomization flux-system/apps\'s postBuild: Flux would substitute an empty string',
  ]);
});

test('substituteFrom: an optional ConfigMap renamed by its build, and one whose name its maker substitutes', async () => {
  await same(withVars(['namePrefix: p-'], 'p-vars', '      optional: true'), touchConfig, []);
  // vars makes vars-${CLUSTER}; a change elsewhere (a new Kustomization's file) must not make it look missing.
  const substitutedName = {
    ...withVars(['postBuild:', '  substitute:', '    CLUSTER: dev'], 'vars-dev'),
    'infrastructure/vars/vars.yaml': configMap('vars-${CLUSTER}', 'flux-system', 'GREETING: hello'),
  };
  await same(substitutedName, touchConfig, []);
  const other = { ...substitutedName, [APPS]: substitutedName[APPS] + '---\n' + fluxKustomization('other', './infrastructure/other'), 'infrastructure/other/kustomization.yaml': kustomization('a.yaml'), 'infrastructure/other/a.yaml': configMap('a', 'apps') };
  // apps is selected too: no file makes vars-dev as written.
  assert.is(await same(other, { 'infrastructure/other/a.yaml': configMap('a', 'apps', 'b: "2"') }, []), 2);
});

test('substituteFrom a ConfigMap that its own Kustomization substitutes: the substituted value is used', async () => {
  // basevars (a generator) gives X to vars, whose PORT gives apps its Service port.
  const tree = {
    [APPS]: fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('basevars', './infrastructure/basevars') + '---\n' +
      fluxKustomization('vars', './infrastructure/vars', 'dependsOn:', '  - name: basevars', 'postBuild:', '  substituteFrom:', '    - kind: ConfigMap', '      name: basevars') + '---\n' +
      apps('postBuild:', '  substituteFrom:', '    - kind: ConfigMap', '      name: vars'),
    'infrastructure/basevars/kustomization.yaml': 'configMapGenerator:\n  - name: basevars\n    namespace: flux-system\n    literals:\n      - X=80\ngeneratorOptions:\n  disableNameSuffixHash: true\n',
    'infrastructure/vars/kustomization.yaml': kustomization('vars.yaml'),
    'infrastructure/vars/vars.yaml': configMap('vars', 'flux-system', 'PORT: "80${X}"'),
    'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'svc.yaml'),
    'infrastructure/apps/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  ports:\n    - port: ${PORT}\n',
  };
  assert.is(await same(tree, touchConfig, []), 1);
});

test('a chartRef OCIRepository whose tag its Kustomization substitutes is pinned in both runs', async () => {
  const tree = {
    [APPS]: fluxKustomization('sources', './infrastructure/sources', 'postBuild:', '  substitute:', '    TAG: "6.5.0"') + '---\n' + apps(),
    'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'oci.yaml'),
    'infrastructure/sources/oci.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo-oci\n  namespace: flux-system\nspec:\n  interval: 1h\n  url: oci://ghcr.io/stefanprodan/charts/podinfo\n  ref:\n    tag: "${TAG}"\n',
    'infrastructure/apps/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo-oci\n    namespace: flux-system\n',
  };
  await same(tree, touchConfig, []);
});

test('a dashboard uid taken from a dashboard of another Kustomization', async () => {
  const tree = {
    [APPS]: BASE[APPS] + '---\n' + fluxKustomization('dash1', './infrastructure/dash1') + '---\n' + fluxKustomization('dash2', './infrastructure/dash2'),
    'infrastructure/dash1/kustomization.yaml': kustomization('a.yaml'),
    'infrastructure/dash1/a.yaml': dashboard('a', 'uid-a'),
    'infrastructure/dash2/kustomization.yaml': kustomization('b.yaml'),
    'infrastructure/dash2/b.yaml': dashboard('b', 'uid-b'),
  };
  await same(tree, { 'infrastructure/dash2/b.yaml': dashboard('b', 'uid-a') },
    ['error policy/dashboard-uid-duplicate infrastructure/dash2/b.yaml:9 dashboard uid "uid-a" is also used in infrastructure/dash1/a.yaml:9: Grafana keeps only one of them']);
  // The other way round, --changed names the conflict at the changed file; the full run at the later one.
  const { full, changed } = await fullAndChanged(tree, { 'infrastructure/dash1/a.yaml': dashboard('a', 'uid-b') });
  assert.equal(full, ['error policy/dashboard-uid-duplicate infrastructure/dash2/b.yaml:9 dashboard uid "uid-b" is also used in infrastructure/dash1/a.yaml:9: Grafana keeps only one of them']);
  assert.equal(changed, ['error policy/dashboard-uid-duplicate infrastructure/dash1/a.yaml:9 dashboard uid "uid-b" is also used in infrastructure/dash2/b.yaml:9: Grafana keeps only one of them']);
});

test('an object defined by a changed Kustomization and by one --changed does not build', async () => {
  const tree = { 'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'more.yaml'), 'infrastructure/sources/more.yaml': configMap('more', 'apps') };
  const duplicate = (name: string, [here, hereK]: string[], [there, thereK]: string[]) =>
    `error graph/duplicate-object ${here} ConfigMap apps/${name} is defined by Kustomization flux-system/${hereK} (here, ${here}) and by Kustomization flux-system/${thereK} (${there}): the two fight over it`;
  const apps = ['infrastructure/apps/config.yaml:1', 'apps'];
  const sources = ['infrastructure/sources/more.yaml:1', 'sources'];
  // apps changed (it comes after sources): both runs report it at apps.
  const atApps = duplicate('more', apps, sources);
  assert.equal(await fullAndChanged(tree, { [CONFIG]: configMap('more', 'apps') }), { full: [atApps], changed: [atApps], selected: 1 });
  // sources changed: the full run reports it at the later one (apps), --changed at the changed side.
  const { full, changed } = await fullAndChanged(tree, { 'infrastructure/sources/more.yaml': configMap('settings', 'apps') });
  assert.equal(full, [duplicate('settings', apps, sources)]);
  assert.equal(changed, [duplicate('settings', sources, apps)]);
});

test('a checked Kustomization whose build fails is not compared as written for duplicates', async () => {
  const tree = { 'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'more.yaml'), 'infrastructure/sources/more.yaml': configMap('more', 'apps') };
  const { full, changed } = await fullAndChanged(tree, { [CONFIG]: configMap('more', 'apps'), 'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'more.yaml', 'missing.yaml') });
  assert.equal(changed, full);
  assert.equal(full.map((line) => line.split(' ').slice(0, 3).join(' ')), ['error build/failed clusters/dev/apps.yaml:8']);
});

test.run();
