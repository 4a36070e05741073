import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { validate } from '../../../scripts/validate/validate.ts';
import { removeTestdirs, testdir } from '../../helpers/testdir.ts';
import { BASE, brief, configMap, fluxKustomization, kubectlKustomize } from './fixture.ts';

test.after.each(removeTestdirs);

test('another kubectl on PATH (an upgrade) is a cache miss: its kustomize may build differently', async () => {
  const root = testdir(BASE);
  const cacheDir = mkdtempSync(join(tmpdir(), 'validate-cache-'));
  const bin = mkdtempSync(join(tmpdir(), 'validate-kubectl-'));
  const path = process.env.PATH;
  try {
    const real = String(execFileSync('sh', ['-c', 'command -v kubectl'])).trim();
    const first = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    const warm = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    assert.equal([first.summary.cached, warm.summary.cached], [0, 3]);
    // A wrapper in front of the real one stands for a new kubectl.
    writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nexec ${real} "$@"\n`);
    chmodSync(join(bin, 'kubectl'), 0o755);
    process.env.PATH = `${bin}:${path}`;
    const upgraded = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    assert.is(upgraded.summary.cached, 0);
    assert.equal(upgraded.findings, []);
  } finally {
    process.env.PATH = path;
    rmSync(cacheDir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  }
});

// Validates `root` twice around `change` with one cache: the second run must equal a run without the cache.
async function aroundChange(files: Record<string, string>, change: (root: string) => void) {
  const root = testdir(files);
  const cacheDir = mkdtempSync(join(tmpdir(), 'validate-cache-'));
  try {
    const before = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    change(root);
    const after = await validate({ root, kustomize: kubectlKustomize, cacheDir });
    const uncached = await validate({ root, kustomize: kubectlKustomize, cache: false });
    return { before, after, uncached };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const APPS = 'clusters/dev/apps.yaml';
const withKustomization = (name: string, path: string) => BASE[APPS] + '---\n' + fluxKustomization(name, path);

test('a file added to a Flux path outside infrastructure/ and clusters/ is not hidden by the last run\'s result', async () => {
  const { before, after, uncached } = await aroundChange(
    { ...BASE, [APPS]: withKustomization('team', './apps/dev'), 'apps/dev/a.yaml': configMap('a', 'apps') },
    (root) => writeFileSync(join(root, 'apps/dev/b.yaml'), configMap('b', 'apps', 'x: 1')),
  );
  assert.equal(before.findings, []);
  assert.equal(brief(after.findings), ['error schema/invalid apps/dev/b.yaml:7']);
  assert.equal(after.findings, uncached.findings);
});

test('a kustomization file added to a Flux path that had none is not hidden by the last run\'s result', async () => {
  const { before, after, uncached } = await aroundChange(
    { ...BASE, [APPS]: withKustomization('plain', './infrastructure/plain'), 'infrastructure/plain/a.yaml': configMap('a', 'apps'), 'infrastructure/plain/b.yaml': configMap('b', 'apps') },
    (root) => writeFileSync(join(root, 'infrastructure/plain/Kustomization'), 'resources:\n  - a.yaml\n'),
  );
  assert.equal(before.findings, []);
  assert.equal(brief(after.findings), ['warning graph/unreferenced-file infrastructure/plain/b.yaml:1']);
  assert.equal(after.findings, uncached.findings);
});

test.run();
