// The foreground CLI: writes a kubeconfig once listening, serves admin endpoints, stops cleanly on SIGTERM.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeDir, testdir } from '../helpers/testdir.ts';
import { runKubectl, type SimRequest } from './index.ts';

test('sim-cluster runs in the foreground, takes --from and fault commands, and exits 0 on SIGTERM', async () => {
  const dir = testdir({
    'repo/clusters/staging/apps.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: apps\ndata:\n  a: b\n',
    'repo/clusters/staging/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- apps.yaml\n',
  });
  const kubeconfig = join(dir, 'kubeconfig');
  const child = spawn(process.execPath, ['--import=tsx/esm', 'tests/sim/cli.ts', '--kubeconfig', kubeconfig, '--from', join(dir, 'repo/clusters/staging')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const closed = new Promise((resolve) => child.on('close', resolve));
  try {
    await runAgainst(child, kubeconfig, dir);
    child.kill('SIGTERM');
    assert.is(await closed, 0);
    assert.ok(existsSync(kubeconfig));
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    removeDir(dir);
  }
});

// What the test does while the CLI runs: kubectl through its kubeconfig, a fault, the request log.
async function runAgainst(child: ChildProcessByStdio<null, Readable, Readable>, kubeconfig: string, dir: string): Promise<void> {
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  await new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('listening') && resolve()));
  const url = /listening on (\S+);/.exec(out)![1];
  assert.match(readFileSync(kubeconfig, 'utf8'), new RegExp(`server: ${url}\\n[\\s\\S]*current-context: sim\\n`));
  const sim = { kubeconfig, home: join(dir, 'home') };
  assert.equal(await runKubectl(sim, ['get', 'cm', 'cfg', '-n', 'apps', '-o', 'jsonpath={.data.a}']), { stdout: 'b', stderr: '', exitCode: 0 });
  const res = await fetch(`${url}/sim/faults/reject-writes`, { method: 'POST', body: JSON.stringify({ resource: 'configmaps', count: 1, code: 403, message: 'configmaps is forbidden: simulated' }) });
  assert.is(res.status, 200);
  const denied = await runKubectl(sim, ['create', 'cm', 'x', '-n', 'apps']);
  assert.is(denied.stderr, 'error: failed to create configmap: configmaps is forbidden: simulated\n');
  const requests = (await (await fetch(`${url}/sim/requests`)).json()) as SimRequest[];
  assert.ok(requests.some((r) => r.verb === 'create' && r.status === 403));
}

test.run();
