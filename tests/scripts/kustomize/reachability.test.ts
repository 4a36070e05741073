import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TaskError } from '../../../scripts/core/errors.ts';
import { planResourceChanges, reachabilityChanges } from '../../../scripts/kustomize/reachability.ts';
import { withTestdir, writeTree } from '../../helpers/testdir.ts';

const L = 'infrastructure/logging';
const K = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

const withRepo = withTestdir;

test('lists the file in its folder and every folder in its parent, up to infrastructure/logging', () => {
  withRepo({ [`${L}/kustomization.yaml`]: `${K}resources:\n  - loki.yaml\n`, [`${L}/loki.yaml`]: 'kind: HelmRelease\n' }, (dir) => {
    const changes = reachabilityChanges(dir, L, `${L}/dashboards/prometheus/nodes-configmap.yaml`);
    assert.equal(changes, [
      { dir: L, entry: 'dashboards', action: 'add' },
      { dir: `${L}/dashboards`, entry: 'prometheus', action: 'add' },
      { dir: `${L}/dashboards/prometheus`, entry: 'nodes-configmap.yaml', action: 'add' },
    ]);
    const edits = planResourceChanges(dir, changes);
    assert.equal(edits, [
      { path: `${L}/kustomization.yaml`, before: `${K}resources:\n  - loki.yaml\n`, after: `${K}resources:\n  - loki.yaml\n  - dashboards\n` },
      { path: `${L}/dashboards/kustomization.yaml`, before: undefined, after: `${K}resources:\n  - prometheus\n` },
      { path: `${L}/dashboards/prometheus/kustomization.yaml`, before: undefined, after: `${K}resources:\n  - nodes-configmap.yaml\n` },
    ]);
    for (const edit of edits) writeTree(dir, { [edit.path]: edit.after });
    assert.is(readFileSync(join(dir, L, 'dashboards/kustomization.yaml'), 'utf8'), `${K}resources:\n  - prometheus\n`);
    assert.equal(planResourceChanges(dir, changes), [], 'a second run plans nothing');
  });
});

test('moves a dashboard between folders with one edit per file', () => {
  withRepo({
    [`${L}/kustomization.yaml`]: `${K}resources:\n- dashboards\n`,
    [`${L}/dashboards/kustomization.yaml`]: `${K}resources:\n- nodes-configmap.yaml\n- other-configmap.yaml\n`,
    [`${L}/dashboards/nodes-configmap.yaml`]: 'kind: ConfigMap\n',
    [`${L}/dashboards/other-configmap.yaml`]: 'kind: ConfigMap\n',
  }, (dir) => {
    const changes = [
      { dir: `${L}/dashboards`, entry: 'nodes-configmap.yaml', action: 'remove' as const },
      ...reachabilityChanges(dir, L, `${L}/dashboards/prometheus/nodes-configmap.yaml`),
    ];
    assert.equal(planResourceChanges(dir, changes), [
      { path: `${L}/dashboards/kustomization.yaml`, before: `${K}resources:\n- nodes-configmap.yaml\n- other-configmap.yaml\n`, after: `${K}resources:\n- other-configmap.yaml\n- prometheus\n` },
      { path: `${L}/dashboards/prometheus/kustomization.yaml`, before: undefined, after: `${K}resources:\n  - nodes-configmap.yaml\n` },
    ]);
  });
});

test('refuses when infrastructure/logging has no kustomization', () => {
  withRepo({ [`${L}/helmrelease.yaml`]: 'kind: HelmRelease\n' }, (dir) => {
    try {
      reachabilityChanges(dir, L, `${L}/dashboards/a-configmap.yaml`);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, TaskError);
      assert.is((error as TaskError).message, `${L} has no kustomization.yaml but holds helmrelease.yaml: Flux builds such a folder from every manifest in it, and adding a kustomization.yaml would change what it deploys.`);
      assert.is((error as TaskError).hint, `Add ${L}/kustomization.yaml listing its resources (including dashboards), then re-run.`);
    }
  });
});

test('refuses a folder on the way that has manifests but no kustomization', () => {
  withRepo({ [`${L}/kustomization.yaml`]: `${K}resources: []\n`, [`${L}/dashboards/old-configmap.yaml`]: 'kind: ConfigMap\n' }, (dir) => {
    assert.throws(() => reachabilityChanges(dir, L, `${L}/dashboards/a-configmap.yaml`), (e: unknown) => e instanceof TaskError && e.message.startsWith(`${L}/dashboards has no kustomization.yaml but holds old-configmap.yaml`));
  });
});

test('a re-run for an existing file in its folder is no change', () => {
  withRepo({
    [`${L}/kustomization.yaml`]: `${K}resources:\n  - ./dashboards/\n`,
    [`${L}/dashboards/kustomization.yaml`]: `${K}resources:\n  - a-configmap.yaml\n`,
    [`${L}/dashboards/a-configmap.yaml`]: 'kind: ConfigMap\n',
  }, (dir) => {
    assert.equal(planResourceChanges(dir, reachabilityChanges(dir, L, `${L}/dashboards/a-configmap.yaml`)), []);
  });
});

test('caches what each kustomization lists until it changes, and plans every edit from the file text', () => {
  const kustomization = `${K}resources:\n  - dashboards\n`;
  const dashboards = `${K}resources:\n  - a-configmap.yaml\n`;
  withRepo({ [`${L}/kustomization.yaml`]: kustomization, [`${L}/dashboards/kustomization.yaml`]: dashboards }, (dir) => {
    const cacheDir = join(dir, '.cache');
    const changes = reachabilityChanges(dir, L, `${L}/dashboards/a-configmap.yaml`);
    assert.equal(planResourceChanges(dir, changes, { cacheDir }), []);
    const cachePath = join(cacheDir, 'kustomization-listings.json');
    const cached = JSON.parse(readFileSync(cachePath, 'utf8'));
    assert.equal(cached.entries[join(dir, L, 'dashboards/kustomization.yaml')].value, { resources: ['a-configmap.yaml'], bases: [] });
    assert.equal(cached.entries[join(dir, L, 'kustomization.yaml')].value, { resources: ['dashboards'], bases: [] });
    // A listing that says the entry is missing only sends the change to the text planner, which finds it listed.
    cached.entries[join(dir, L, 'dashboards/kustomization.yaml')].value = { resources: [], bases: [] };
    writeFileSync(cachePath, JSON.stringify(cached));
    assert.equal(planResourceChanges(dir, changes, { cacheDir }), [], 'no edit from a listing alone');
    writeFileSync(join(dir, L, 'dashboards/kustomization.yaml'), `${K}resources:\n  - b-configmap.yaml\n`);
    assert.equal(planResourceChanges(dir, changes, { cacheDir }), [
      {
        path: `${L}/dashboards/kustomization.yaml`,
        before: `${K}resources:\n  - b-configmap.yaml\n`,
        after: `${K}resources:\n  - b-configmap.yaml\n  - a-configmap.yaml\n`,
      },
    ]);
  });
});

test.run();
