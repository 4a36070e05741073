// --changed in a real temporary git repository, and the result caches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterModel } from '../../../scripts/gitops/flux.ts';
import { loadTree } from '../../../scripts/gitops/tree.ts';
import { touchedKustomizations, type Git } from '../../../scripts/validate/changed.ts';
import { changedSince } from '../../../scripts/validate/run.ts';
import { validate } from '../../../scripts/validate/validate.ts';
import { git, gitdir, removeDir, testdir } from '../../helpers/testdir.ts';
import { BASE, configMap, fluxKustomization, kubectlKustomize, kustomization } from './fixture.ts';

// BASE plus a `vars` ConfigMap built by `sources` that `apps` takes postBuild variables from.
const files = {
  ...BASE,
  '.gitignore': 'tmp/\n',
  'infrastructure/sources/kustomization.yaml': kustomization('podinfo.yaml', 'vars.yaml'),
  'infrastructure/sources/vars.yaml': configMap('vars', 'flux-system', 'GREETING: hello'),
  'clusters/dev/apps.yaml': fluxKustomization('sources', './infrastructure/sources') + '---\n' +
    fluxKustomization('apps', './infrastructure/apps', 'dependsOn:', '  - name: sources', 'postBuild:', '  substituteFrom:', '    - kind: ConfigMap', '      name: vars'),
};

const touched = (dir: string, changed: string[]) =>
  [...touchedKustomizations(clusterModel(loadTree(dir), 'dev'), new Set(changed))].map((k) => k.id).sort();

test('--changed compares with the merge base of the default branch, untracked files included', async () => {
  const dir = gitdir(files);
  try {
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "2"'));
    git(dir, 'commit', '-q', '-am', 'change config');
    writeFileSync(join(dir, 'infrastructure/apps/extra.yaml'), configMap('extra', 'apps'));
    const base = git(dir, 'merge-base', 'HEAD', 'main');
    const run: Git = async (args) => git(dir, ...args) + '\n';
    assert.equal(await changedSince(run, ''), { base, files: ['infrastructure/apps/config.yaml', 'infrastructure/apps/extra.yaml'] });
    assert.equal(await changedSince(run, 'HEAD'), { base: 'HEAD', files: ['infrastructure/apps/extra.yaml'] });
  } finally {
    removeDir(dir);
  }
});

test('picks the Kustomizations whose build reads a changed file, whose definition changed, and their substituteFrom dependents', () => {
  const dir = testdir(files);
  try {
    assert.equal(touched(dir, ['infrastructure/apps/config.yaml']), ['flux-system/apps']);
    assert.equal(touched(dir, ['infrastructure/sources/vars.yaml']), ['flux-system/apps', 'flux-system/sources']);
    assert.equal(touched(dir, ['clusters/dev/apps.yaml']), ['flux-system/apps', 'flux-system/flux-system', 'flux-system/sources']);
    assert.equal(touched(dir, ['README.md']), []);
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

test('a warm run reuses the last result; after a change only the touched build runs again', async () => {
  const dir = testdir(files);
  const cacheDir = mkdtempSync(join(tmpdir(), 'validate-cache-'));
  let builds = 0;
  const counting: typeof kubectlKustomize = (d) => {
    builds++;
    return kubectlKustomize(d);
  };
  try {
    const cold = await validate({ root: dir, kustomize: counting, cacheDir, jobs: 1 });
    assert.equal([cold.summary.cached, builds, cold.findings.length], [0, 1, 0]);
    const warm = await validate({ root: dir, kustomize: counting, cacheDir, jobs: 1 });
    assert.equal([warm.summary.cached, builds], [3, 1]);
    assert.equal({ ...warm, summary: { ...warm.summary, cached: 0, durationMs: 0 } }, { ...cold, summary: { ...cold.summary, durationMs: 0 } });
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "${NOPE}"'));
    const changed = await validate({ root: dir, kustomize: counting, cacheDir, jobs: 1 });
    assert.equal([changed.summary.cached, builds], [2, 2]);
    assert.equal(changed.findings.map((f) => f.rule), ['graph/unresolved-variable']);
  } finally {
    removeDir(dir);
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a partly warm run still reports findings in unchanged files at their lines', async () => {
  const dir = testdir({ ...files, 'infrastructure/apps/release.yaml': BASE['infrastructure/apps/release.yaml'].replace('"6.5.0"', '"6.x"') });
  const cacheDir = mkdtempSync(join(tmpdir(), 'validate-cache-'));
  try {
    const first = await validate({ root: dir, kustomize: kubectlKustomize, cacheDir, jobs: 1 });
    writeFileSync(join(dir, 'infrastructure/apps/config.yaml'), configMap('settings', 'apps', 'a: "changed"'));
    const second = await validate({ root: dir, kustomize: kubectlKustomize, cacheDir, jobs: 1 });
    assert.equal(second.summary.cached, 2);
    assert.equal(second.findings.map((f) => `${f.rule} ${f.file}:${f.line}`), ['policy/chart-version-range infrastructure/apps/release.yaml:11']);
    assert.equal(second.findings, first.findings);
  } finally {
    removeDir(dir);
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test.run();
