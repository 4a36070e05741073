// The check that rendered dashboard ConfigMaps survive `kubectl kustomize` unchanged: every file
// read back with the same data and annotations (kustomize parses and re-prints them).
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { removeDir, testdir } from './testdir.ts';

// `rendered`: dashboard name → the ConfigMap YAML written for it.
export function assertKustomizeReadsBack(rendered: Record<string, string>): void {
  const dir = testdir({
    ...Object.fromEntries(Object.entries(rendered).map(([name, yaml]) => [`${name}-configmap.yaml`, yaml])),
    'kustomization.yaml': `resources:\n${Object.keys(rendered).map((name) => `  - ${name}-configmap.yaml\n`).join('')}`,
  });
  try {
    const output = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig') },
    });
    const built = parseAllDocuments(output).map((doc) => doc.toJS());
    assert.is(built.length, Object.keys(rendered).length);
    for (const [name, yaml] of Object.entries(rendered)) {
      const ours = parse(yaml);
      const theirs = built.find((manifest) => manifest.metadata.name === `grafana-dashboard-${name}`);
      assert.ok(theirs, name);
      assert.is(theirs.data[`${name}-dashboard.json`], ours.data[`${name}-dashboard.json`], name);
      assert.equal(theirs.metadata.annotations, ours.metadata.annotations, name);
    }
  } finally {
    removeDir(dir);
  }
}
