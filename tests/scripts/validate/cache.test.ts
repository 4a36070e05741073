import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { validate } from '../../../scripts/validate/validate.ts';
import { removeTestdirs, testdir } from '../../helpers/testdir.ts';
import { BASE, kubectlKustomize } from './fixture.ts';

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

test.run();
