// --changed in a real temporary git repository, and the result caches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../scripts/core/errors.ts';
import { clusterModel } from '../../../scripts/gitops/flux.ts';
import { loadTree } from '../../../scripts/gitops/tree.ts';
import { referencedKustomizations, touchedKustomizations, variableProviders, type Git } from '../../../scripts/validate/changed.ts';
import { changedSince } from '../../../scripts/validate/run.ts';
import { validate, type ValidateOptions } from '../../../scripts/validate/validate.ts';
import type { ValidateResult } from '../../../scripts/validate/findings.ts';
import { git, gitdir, removeDir, testdir, type FileTree } from '../../helpers/testdir.ts';
import { BASE, brief, configMap, fluxKustomization, helmRelease, kubectlKustomize, kustomization, validateTree } from './fixture.ts';

// BASE plus a `vars` ConfigMap built by `sources` that `apps` takes postBuild variables from.
const files = {
  ...BASE,
  '.gitignore': 'tmp/\n',
  'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'vars.yaml'),
  'infrastructure/sources/vars.yaml': configMap('vars', 'flux-system', 'GREETING: hello'),
  'clusters/dev/apps.yaml': fluxKustomization('sources', './infrastructure/sources') + '---\n' +
    fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', 'postBuild:', '  substituteFrom:', '    - kind: ConfigMap', '      name: vars'),
};

const touched = (dir: string, changed: string[]) => {
  const tree = loadTree(dir);
  return [...touchedKustomizations(tree, clusterModel(tree, 'dev'), new Set(changed))].map((k) => k.id).sort();
};

// BASE where `sources` generates the `vars` ConfigMap (configMapGenerator from vars.env) that
// `apps` takes ${A} from.
const generated = {
  ...BASE,
  'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml') +
    'configMapGenerator:\n  - name: vars\n    namespace: flux-system\n    envs:\n      - vars.env\ngeneratorOptions:\n  disableNameSuffixHash: true\n',
  'infrastructure/sources/vars.env': 'A=one\n',
  'clusters/dev/apps.yaml': files['clusters/dev/apps.yaml'],
  'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "${A}"'),
};
const run = (dir: string, changed?: string[], changedFlux?: string[]) => validate({ root: dir, kustomize: kubectlKustomize, jobs: 1, cache: false, changed, changedFlux });

test('--changed compares with the merge base of the default branch, untracked files included', async () => {
  const dir = gitdir(files);
  try {
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "2"'));
    git(dir, 'commit', '-q', '-am', 'change config');
    writeFileSync(join(dir, 'infrastructure/apps/extra.yaml'), configMap('extra', 'apps'));
    const base = git(dir, 'merge-base', 'HEAD', 'main');
    const run: Git = async (args) => git(dir, ...args) + '\n';
    assert.equal(await changedSince(run, ''), { base, since: `main (merge base ${base.slice(0, 12)})`, files: ['infrastructure/apps/config.yaml', 'infrastructure/apps/extra.yaml'], flux: [] });
    assert.equal(await changedSince(run, 'HEAD'), { base: 'HEAD', since: 'HEAD', files: ['infrastructure/apps/extra.yaml'], flux: [] });
  } finally {
    removeDir(dir);
  }
});

test('--changed with a base that is no commit is a usage error naming it', async () => {
  const dir = gitdir(files);
  try {
    const error = await changedSince(async (args) => git(dir, ...args) + '\n', 'no-such-ref').catch((e: unknown) => e);
    assert.instance(error, UsageError);
    assert.is((error as UsageError).message,
      '--changed no-such-ref: no commit, branch or tag "no-such-ref" in this repository; pass one that exists (e.g. --changed main, --changed HEAD~1), or --changed alone, after the clusters, for the merge base with the default branch');
  } finally {
    removeDir(dir);
  }
});

test('--changed outside a git checkout, or without a default branch, is a usage error saying what to do', async () => {
  const plain = testdir(files);
  const trunk = gitdir(files);
  try {
    const outside = async (base: string) => changedSince(async (args) => git(plain, ...args) + '\n', base).catch((e: unknown) => e);
    for (const error of [await outside(''), await outside('main')]) {
      assert.instance(error, UsageError);
      assert.is((error as UsageError).message, '--changed compares with git, and this folder is not in a git checkout; run validate without --changed (it checks everything)');
    }
    git(trunk, 'branch', '-m', 'trunk');
    const error = await changedSince(async (args) => git(trunk, ...args) + '\n', '').catch((e: unknown) => e);
    assert.instance(error, UsageError);
    assert.is((error as UsageError).message, '--changed: no default branch to compare with (neither origin/HEAD, main nor master exists); name the base: --changed <commit-or-branch>, after the clusters');
  } finally {
    removeDir(plain);
    removeDir(trunk);
  }
});

test('picks the Kustomizations whose build reads a changed file, whose definition changed, and their substituteFrom dependents', () => {
  const dir = testdir({ ...files, 'README.md': '# fleet\n' });
  try {
    assert.equal(touched(dir, ['infrastructure/apps/config.yaml']), ['flux-system/apps']);
    assert.equal(touched(dir, ['infrastructure/sources/vars.yaml']), ['flux-system/apps', 'flux-system/sources']);
    assert.equal(touched(dir, ['clusters/dev/apps.yaml']), ['flux-system/apps', 'flux-system/flux-system', 'flux-system/sources']);
    assert.equal(touched(dir, ['README.md']), []);
  } finally {
    removeDir(dir);
  }
});

test('--changed builds for reference only the rewriting Kustomizations whose sources or releases the selected ones name', () => {
  // Three apps, each its own namespace (kustomization namespace:), HelmRepository and HelmRelease.
  const app = (n: number, ...deps: string[]) => ({
    [`infrastructure/app${n}/kustomization.yaml`]: kustomization('repo.yaml', 'release.yaml', 'values.yaml') + `namespace: app${n}\n`,
    [`infrastructure/app${n}/repo.yaml`]: BASE['infrastructure/sources/podinfo.yaml'].replace('name: podinfo', `name: repo${n}`),
    [`infrastructure/app${n}/release.yaml`]: helmRelease('6.5.0').replace('name: podinfo\n        namespace: flux-system', `name: repo${n}\n        namespace: app${n}`)
      .replace('  name: podinfo\n', `  name: release${n}\n`) + (deps.length > 0 ? '  dependsOn:\n' + deps.map((d) => `    - name: ${d}\n`).join('') : ''),
    [`infrastructure/app${n}/values.yaml`]: configMap(`values${n}`, `app${n}`),
  });
  const dir = testdir({
    ...BASE,
    'clusters/dev/apps.yaml': [1, 2, 3].map((n) => fluxKustomization(`app${n}`, `./infrastructure/app${n}`)).join('---\n'),
    ...app(1), ...app(2), ...app(3, 'release1'),
  });
  try {
    const tree = loadTree(dir);
    const model = clusterModel(tree, 'dev');
    const referenced = (file: string) => {
      const selected = touchedKustomizations(tree, model, new Set([file]));
      return [[...selected].map((k) => k.id), referencedKustomizations(tree, model, selected, variableProviders(model)).map((k) => k.id)];
    };
    assert.equal(referenced('infrastructure/app2/values.yaml'), [['flux-system/app2'], []]);
    assert.equal(referenced('infrastructure/app3/values.yaml'), [['flux-system/app3'], ['flux-system/app1']]);
  } finally {
    removeDir(dir);
  }
});

test('a change to a file defining Flux objects, to the kustomization file listing one, or a deleted file picks every Kustomization of the cluster', () => {
  const dir = testdir({ ...files, 'README.md': '# fleet: see kustomize.toolkit.fluxcd.io\n' });
  const all = ['flux-system/apps', 'flux-system/flux-system', 'flux-system/sources'];
  try {
    assert.equal(touched(dir, ['infrastructure/apps/release.yaml']), all);
    assert.equal(touched(dir, ['clusters/dev/kustomization.yaml']), all);
    assert.equal(touched(dir, ['clusters/dev/sources.yaml']), all);
    assert.equal(touched(dir, ['docs/removed.md']), all);
    assert.equal(touched(dir, ['infrastructure/sources/vars.yaml']), ['flux-system/apps', 'flux-system/sources']);
    assert.equal(touched(dir, ['README.md']), []);
  } finally {
    removeDir(dir);
  }
});

test('--changed after removing a Kustomization reports the graph errors a full run reports', async () => {
  const sources = fluxKustomization('sources', './infrastructure/sources');
  const dir = gitdir({
    ...BASE,
    'clusters/dev/kustomization.yaml': kustomization('flux-system', 'sources.yaml', 'apps.yaml'),
    'clusters/dev/sources.yaml': sources,
    'clusters/dev/apps.yaml': fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources'),
  });
  try {
    rmSync(join(dir, 'clusters/dev/sources.yaml'));
    writeFileSync(join(dir, 'clusters/dev/kustomization.yaml'), kustomization('flux-system', 'apps.yaml'));
    const { files: changed } = await changedSince(async (args) => git(dir, ...args) + '\n', 'HEAD');
    assert.equal(changed, ['clusters/dev/kustomization.yaml', 'clusters/dev/sources.yaml']);
    const errors = ['error graph/missing-dependency clusters/dev/apps.yaml:14', 'error graph/missing-source infrastructure/apps/release.yaml:12'];
    const full = await run(dir);
    assert.equal(brief(full.findings), [...errors, 'warning graph/unreferenced-file infrastructure/sources/podinfo.yaml:1']);
    const result = await run(dir, changed);
    assert.equal(brief(result.findings), errors);
    assert.equal([result.exitCode, result.summary.kustomizations], [1, 2]);
  } finally {
    removeDir(dir);
  }
});

test('--changed after a Kustomization is taken out of a file that stays (its diff removes a Flux line) reports what a full run reports', async () => {
  const dir = gitdir({
    ...BASE,
    'clusters/dev/kustomization.yaml': kustomization('flux-system', 'sources.yaml', 'apps.yaml'),
    'clusters/dev/sources.yaml': fluxKustomization('sources', './infrastructure/sources'),
    'clusters/dev/apps.yaml': fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources'),
  });
  try {
    writeFileSync(join(dir, 'clusters/dev/sources.yaml'), '# moved\n');
    const since = await changedSince(async (args) => git(dir, ...args) + '\n', 'HEAD');
    assert.equal([since.files, since.flux], [['clusters/dev/sources.yaml'], ['clusters/dev/sources.yaml']]);
    const errors = ['error graph/missing-dependency clusters/dev/apps.yaml:14', 'error graph/missing-source infrastructure/apps/release.yaml:12'];
    const result = await run(dir, since.files, since.flux);
    assert.equal(brief(result.findings), errors);
    assert.equal([result.exitCode, result.summary.kustomizations], [1, 2]);
    // Without the diff, a file of a Flux build that holds no object (it could be a JSON 6902 patch) touches every Kustomization too.
    assert.equal(brief((await run(dir, since.files)).findings), errors);
  } finally {
    removeDir(dir);
  }
});

test('--changed follows a substituteFrom ConfigMap made by a configMapGenerator', async () => {
  const dir = testdir({ ...generated, 'infrastructure/sources/vars.env': 'B=one\n' });
  try {
    assert.equal(touched(dir, ['infrastructure/sources/vars.env']), ['flux-system/apps', 'flux-system/sources']);
    const expected = ['error graph/unresolved-variable infrastructure/apps/config.yaml:7'];
    const full = await run(dir);
    assert.equal([brief(full.findings), full.exitCode], [expected, 1]);
    const result = await run(dir, ['infrastructure/sources/vars.env']);
    assert.equal([brief(result.findings), result.exitCode, result.summary.kustomizations], [expected, 1, 2]);
    assert.is(result.findings[0].message, "${A} in data.a has no value in Kustomization flux-system/apps's postBuild: Flux would substitute an empty string");
  } finally {
    removeDir(dir);
  }
});

test('--changed builds the Kustomization that generates the variables of a selected one, without checking its objects', async () => {
  // The HelmRepository of `sources` has an unknown field: a full run reports it, --changed on apps does not.
  const podinfo = BASE['infrastructure/sources/podinfo.yaml'].replace('  interval: 1h\n', '  interval: 1h\n  bogus: true\n');
  const dir = testdir({ ...generated, 'infrastructure/sources/podinfo.yaml': podinfo });
  try {
    const full = await run(dir);
    assert.equal(full.findings.map((f) => `${f.rule} ${f.file}`), ['schema/unknown-field infrastructure/sources/podinfo.yaml']);
    const result = await run(dir, ['infrastructure/apps/config.yaml']);
    assert.equal([brief(result.findings), result.exitCode], [[], 0]);
    assert.equal([result.summary.kustomizations, result.summary.objects], [1, 3]);
  } finally {
    removeDir(dir);
  }
});

test('validate --changed builds and checks only the touched Kustomizations', async () => {
  const dir = testdir({ ...files, 'infrastructure/apps/config.yaml': configMap('settings', 'apps', 'a: "${GREETING}"', 'b: "${MISSING}"') });
  try {
    const result = await validate({ root: dir, kustomize: kubectlKustomize, cache: false, changed: ['infrastructure/apps/config.yaml'] });
    assert.equal(result.findings.map((f) => `${f.rule} ${f.file}:${f.line}`), ['graph/unresolved-variable infrastructure/apps/config.yaml:8']);
    assert.is(result.summary.kustomizations, 1);
    assert.is(result.summary.objects, 3);
  } finally {
    removeDir(dir);
  }
});

test('--changed accepts a HelmRelease dependsOn on a release of a Kustomization it does not build, and still reports one that exists nowhere', async () => {
  // `platform` (not touched, not built) holds the HelmRelease apps/base; its file gives no namespace
  // for apps/other, which its kustomization sets.
  const release = (name: string, namespace?: string) => helmRelease('6.5.0').replace('  name: podinfo\n  namespace: apps\n', `  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}`);
  const changes = {
    'clusters/dev/apps.yaml': BASE['clusters/dev/apps.yaml'] + '---\n' + fluxKustomization('platform', './infrastructure/platform'),
    'infrastructure/platform/kustomization.yaml': kustomization('base.yaml', 'other.yaml') + 'namespace: apps\n',
    'infrastructure/platform/base.yaml': release('base', 'apps'),
    'infrastructure/platform/other.yaml': release('other'),
    'infrastructure/apps/release.yaml': helmRelease('6.5.0') + '  dependsOn:\n    - name: base\n    - name: other\n    - name: nowhere\n',
  };
  const full = await validateTree(changes);
  const partial = await validateTree(changes, { changed: ['infrastructure/apps/config.yaml'] });
  assert.is(partial.summary.kustomizations, 1);
  for (const result of [full, partial]) {
    assert.equal(brief(result.findings), ['error graph/missing-dependency infrastructure/apps/release.yaml:19']);
    assert.equal(result.findings.map((f) => f.message), ['dependsOn apps/nowhere: no such HelmRelease in cluster dev']);
  }
});

// BASE plus a Kustomization `crds` that builds a Widget CRD (spec.size: integer) and `apps` building a Widget.
const widgetCrd = [
  'apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', '  name: widgets.example.com', 'spec:', '  group: example.com',
  '  names: {kind: Widget, plural: widgets}', '  scope: Namespaced', '  versions:', '    - name: v1', '      served: true', '      storage: true', '      schema:',
  '        openAPIV3Schema:', '          type: object', '          properties:', '            spec:', '              type: object', '              properties:',
  '                size: {type: integer}',
].join('\n') + '\n';
const widgets = (...crdsSpec: string[]) => ({
  'clusters/dev/apps.yaml': fluxKustomization('sources', './infrastructure/sources') + '---\n' + fluxKustomization('crds', './infrastructure/crds', ...crdsSpec) + '---\n' +
    fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: crds'),
  'infrastructure/crds/kustomization.yaml': kustomization('widget.yaml'),
  'infrastructure/crds/widget.yaml': widgetCrd,
  'infrastructure/apps/kustomization.yaml': kustomization('namespace.yaml', 'release.yaml', 'config.yaml', 'widget.yaml'),
  'infrastructure/apps/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: apps\nspec:\n  size: "3"\n  extra: 1\n',
});

test('--changed checks an object against the repository CRD of a Kustomization it does not build', async () => {
  const result = await validateTree(widgets(), { changed: ['infrastructure/apps/widget.yaml'] });
  assert.equal(brief(result.findings), ['error schema/invalid infrastructure/apps/widget.yaml:7', 'error schema/unknown-field infrastructure/apps/widget.yaml:8']);
  assert.equal(result.findings.map((f) => f.message), ['spec.size: must be integer', 'spec.extra: unknown field']);
  assert.equal(result.summary.withoutSchema, {});
  assert.is(result.exitCode, 1);
});

test('a built CRD wins over its file as written (a Flux patch changed the schema)', async () => {
  const patch = ['patches:', '  - target:', '      kind: CustomResourceDefinition', '    patch: |', '      - op: replace',
    '        path: /spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size/type', '        value: string'];
  const result = await validateTree({ ...widgets(...patch), 'infrastructure/apps/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: apps\nspec:\n  size: 3\n' });
  assert.equal(brief(result.findings), ['error schema/invalid infrastructure/apps/widget.yaml:7']);
  assert.equal(result.findings.map((f) => f.message), ['spec.size: must be string']);
  assert.is(result.exitCode, 1);
});

// Runs `body` on a copy of `tree` with its own cache; `run` validates it (one build at a time) and
// `builds()` counts the kubectl runs so far.
// `forgetBuilds()` deletes the cached builds (what is then not built again came from the run record).
async function withCache(tree: FileTree, body: (t: { dir: string; cacheDir: string; run: (options?: Partial<ValidateOptions>) => Promise<ValidateResult>; builds: () => number; forgetBuilds: () => void }) => Promise<void>) {
  const dir = testdir(tree);
  const cacheDir = mkdtempSync(join(tmpdir(), 'validate-cache-'));
  let builds = 0;
  const counting: typeof kubectlKustomize = (d) => {
    builds++;
    return kubectlKustomize(d);
  };
  try {
    const forgetBuilds = () => readdirSync(join(cacheDir, 'validate')).filter((f) => f.startsWith('build-')).forEach((f) => rmSync(join(cacheDir, 'validate', f)));
    await body({ dir, cacheDir, run: (options) => validate({ root: dir, kustomize: counting, cacheDir, jobs: 1, ...options }), builds: () => builds, forgetBuilds });
  } finally {
    removeDir(dir);
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

test('a warm run reuses the last result; after a change only the touched build runs again', () =>
  withCache(files, async ({ dir, run, builds, forgetBuilds }) => {
    const cold = await run();
    assert.equal([cold.summary.cached, builds(), cold.findings.length], [0, 1, 0]);
    forgetBuilds();
    const warm = await run();
    assert.equal([warm.summary.cached, builds()], [3, 1]);
    assert.equal({ ...warm, summary: { ...warm.summary, cached: 0, durationMs: 0 } }, { ...cold, summary: { ...cold.summary, durationMs: 0 } });
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "${NOPE}"'));
    const changed = await run();
    assert.equal([changed.summary.cached, builds()], [0, 2]);
    assert.equal(changed.findings.map((f) => f.rule), ['graph/unresolved-variable']);
  }));

test("a --changed run leaves the last full run's record: the next full run is still served from it", () =>
  withCache(files, async ({ dir, cacheDir, run, builds, forgetBuilds }) => {
    const records = () => readdirSync(join(cacheDir, 'validate')).filter((f) => f.startsWith('run-')).map((f) => readFileSync(join(cacheDir, 'validate', f), 'utf8'));
    const full = await run();
    const record = records();
    assert.is(record.length, 1);
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "${NOPE}"'));
    const partial = await run({ changed: ['infrastructure/apps/config.yaml'] });
    assert.equal([partial.summary.kustomizations, builds()], [1, 2]);
    assert.equal(partial.findings.map((f) => f.rule), ['graph/unresolved-variable']);
    assert.equal(records(), record);
    // Put back as it was: the full run's record holds again, and nothing is built.
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), BASE['infrastructure/apps/config.yaml']);
    forgetBuilds();
    const again = await run();
    assert.is(builds(), 2);
    assert.equal({ ...again, summary: { ...again.summary, durationMs: 0 } }, { ...full, summary: { ...full.summary, cached: 3, durationMs: 0 } });
  }));

test('a partly warm run still reports findings in unchanged files at their lines', () =>
  withCache({ ...files, 'infrastructure/apps/release.yaml': BASE['infrastructure/apps/release.yaml'].replace('"6.5.0"', '"6.x"') }, async ({ dir, run }) => {
    const first = await run();
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "changed"'));
    const second = await run();
    assert.equal(second.summary.cached, 2);
    assert.equal(second.findings.map((f) => `${f.rule} ${f.file}:${f.line}`), ['policy/chart-version-range infrastructure/apps/release.yaml:11']);
    assert.equal(second.findings, first.findings);
  }));

test.run();
