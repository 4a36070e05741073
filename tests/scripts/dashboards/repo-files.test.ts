// uids.ts, target.ts and extract.ts: the file-level helpers that look at the repo.
import { test } from 'uvu';
import { readFileSync, writeFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { TaskError } from '../../../scripts/core/errors.ts';
import { assertUniqueUid, findUidConflict, scanDashboardUids } from '../../../scripts/dashboards/uids.ts';
import { dashboardNames, dashboardTarget, existingConfigMaps, staleConfigMaps, usesCategoryFolders } from '../../../scripts/dashboards/target.ts';
import { extractDashboard } from '../../../scripts/dashboards/extract.ts';
import { categoryOfFile, existingDashboard, existingFolder } from '../../../scripts/dashboards/existing.ts';
import { planDashboardConfigMap } from '../../../scripts/dashboards/plan-configmap.ts';
import { withTestdir } from '../../helpers/testdir.ts';

const D = 'infrastructure/logging/dashboards';
const cm = (name: string, uid: string) =>
  planDashboardConfigMap({ name, dashboard: { title: name, uid, panels: [], note: 'a\u2028b' }, sourcePath: 'export.json' }).yaml;

const withRepo = withTestdir;

test('finds uids in labelled ConfigMaps and JSON dashboards under infrastructure/ and clusters/', () => {
  withRepo({
    [`${D}/prometheus/nodes-configmap.yaml`]: cm('nodes', 'uid-nodes'),
    'clusters/staging/extra.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n---\n${cm('logs', 'uid-logs').replace(/^#.*\n/gm, '')}`,
    'infrastructure/monitoring/dashboards/raw.json': '{"title":"Raw","uid":"uid-raw"}',
    'infrastructure/other/unlabelled.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\ndata: {a.json: \'{"uid":"not-a-dashboard"}\'}\n',
    'apps/elsewhere.json': '{"title":"Not scanned","uid":"uid-apps"}',
  }, (dir) => {
    assert.equal(scanDashboardUids(dir), [
      { uid: 'uid-nodes', name: 'nodes-dashboard.json', title: 'nodes', file: `${D}/prometheus/nodes-configmap.yaml` },
      { uid: 'uid-raw', name: 'raw.json', title: 'Raw', file: 'infrastructure/monitoring/dashboards/raw.json' },
      { uid: 'uid-logs', name: 'logs-dashboard.json', title: 'logs', file: 'clusters/staging/extra.yaml' },
    ]);
  });
});

test('caches the uids per file and reads a file again once it changes', () => {
  withRepo({ [`${D}/prometheus/nodes-configmap.yaml`]: cm('nodes', 'uid-nodes') }, (dir) => {
    const cacheDir = `${dir}/.cache`;
    const expected = (uid: string) => [{ uid, name: 'nodes-dashboard.json', title: 'nodes', file: `${D}/prometheus/nodes-configmap.yaml` }];
    assert.equal(scanDashboardUids(dir, { cacheDir }), expected('uid-nodes'));
    assert.ok(readFileSync(`${cacheDir}/dashboard-uids.json`, 'utf8').includes('"uid":"uid-nodes"'));
    assert.equal(scanDashboardUids(dir, { cacheDir }), expected('uid-nodes'));
    writeFileSync(`${dir}/${D}/prometheus/nodes-configmap.yaml`, cm('nodes', 'uid-changed'));
    assert.equal(scanDashboardUids(dir, { cacheDir }), expected('uid-changed'));
    writeFileSync(`${cacheDir}/dashboard-uids.json`, '{"key":');
    assert.equal(scanDashboardUids(dir, { cacheDir }), expected('uid-changed'));
  });
});

test('refuses a uid another dashboard already uses, naming both files', () => {
  const entries = [{ uid: 'abc', file: `${D}/loki/logs-configmap.yaml`, name: 'logs-dashboard.json', title: 'Logs' }];
  assert.is(findUidConflict(entries, 'abc', [`${D}/loki/logs-configmap.yaml`]), undefined);
  assert.is(findUidConflict(entries, 'other', []), undefined);
  try {
    assertUniqueUid(entries, 'abc', [`${D}/new-configmap.yaml`], 'tmp/dashboard.json');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, TaskError);
    assert.is((error as TaskError).message, `The dashboard in tmp/dashboard.json has uid "abc", which ${D}/loki/logs-configmap.yaml (logs-dashboard.json) already uses: Grafana would silently replace one dashboard with the other.`);
    assert.is((error as TaskError).hint, `Give the new dashboard another uid in tmp/dashboard.json ("uid": "…"), or update ${D}/loki/logs-configmap.yaml under its own name instead.`);
  }
});

test('puts the ConfigMap in dashboards/ when the repo has no category folders', () => {
  withRepo({ [`${D}/kustomization.yaml`]: 'resources: []\n' }, (dir) => {
    assert.not.ok(usesCategoryFolders(dir));
    assert.is(dashboardTarget(dir, 'nodes', 'prometheus'), `${D}/nodes-configmap.yaml`);
    assert.is(dashboardTarget(dir, 'nodes', 'prometheus', true), `${D}/prometheus/nodes-configmap.yaml`);
    assert.is(dashboardTarget(dir, 'nodes', 'none', true), `${D}/nodes-configmap.yaml`);
  });
});

test('puts the ConfigMap in its category folder when the repo uses them', () => {
  withRepo({ [`${D}/loki/kustomization.yaml`]: 'resources: []\n' }, (dir) => {
    assert.ok(usesCategoryFolders(dir));
    assert.is(dashboardTarget(dir, 'nodes', 'mixed'), `${D}/mixed/nodes-configmap.yaml`);
    assert.is(dashboardTarget(dir, 'nodes', 'none'), `${D}/nodes-configmap.yaml`);
  });
});

test('finds a ConfigMap left in another category folder', () => {
  withRepo({ [`${D}/loki/nodes-configmap.yaml`]: cm('nodes', 'n'), [`${D}/other-configmap.yaml`]: cm('other', 'o') }, (dir) => {
    assert.equal(existingConfigMaps(dir, 'nodes'), [`${D}/loki/nodes-configmap.yaml`]);
    assert.equal(staleConfigMaps(dir, 'nodes', `${D}/prometheus/nodes-configmap.yaml`), [`${D}/loki/nodes-configmap.yaml`]);
    assert.equal(staleConfigMaps(dir, 'nodes', `${D}/loki/nodes-configmap.yaml`), []);
    assert.equal(dashboardNames(dir), ['nodes', 'other']);
  });
});

test('knows what a name already holds: file, uid, title, category folder and Grafana folder', () => {
  const withFolder = (folder: string) => planDashboardConfigMap({ name: 'nodes', dashboard: { title: 'Nodes', uid: 'n' }, folder, sourcePath: 'e.json' }).yaml;
  withRepo({
    [`${D}/loki/nodes-configmap.yaml`]: withFolder('Hosts "A" / ü'),
    [`${D}/a-configmap.yaml`]: cm('a', 'a'),
    [`${D}/edited-configmap.yaml`]: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations: {grafana_folder: 'By hand'}\ndata: {}\n",
  }, (dir) => {
    assert.equal(existingDashboard(dir, 'nodes', scanDashboardUids(dir)), { file: `${D}/loki/nodes-configmap.yaml`, uid: 'n', title: 'Nodes' });
    assert.is(existingDashboard(dir, 'missing', []), undefined);
    assert.is(existingFolder(dir, `${D}/loki/nodes-configmap.yaml`), 'Hosts "A" / ü');
    assert.is(existingFolder(dir, `${D}/a-configmap.yaml`), undefined);
    assert.is(existingFolder(dir, `${D}/edited-configmap.yaml`), 'By hand');
    assert.equal([categoryOfFile(`${D}/loki/x-configmap.yaml`), categoryOfFile(`${D}/x-configmap.yaml`)], ['loki', 'none']);
  });
});

test('extracts the dashboard JSON back, pretty and with the escaped characters restored', () => {
  withRepo({ [`${D}/tempo/traces-configmap.yaml`]: cm('traces', 'uid-traces') }, (dir) => {
    assert.equal(extractDashboard(dir, 'traces'), {
      file: `${D}/tempo/traces-configmap.yaml`,
      text: '{\n  "title": "traces",\n  "uid": "uid-traces",\n  "panels": [],\n  "note": "a\u2028b",\n  "id": null\n}\n',
    });
  });
});

test('refuses to extract a dashboard that does not exist, listing the ones that do', () => {
  withRepo({ [`${D}/a-configmap.yaml`]: cm('a', 'a'), [`${D}/loki/b-configmap.yaml`]: cm('b', 'b') }, (dir) => {
    try {
      extractDashboard(dir, 'c');
      assert.unreachable();
    } catch (error) {
      assert.instance(error, TaskError);
      assert.is((error as TaskError).message, 'There is no dashboard ConfigMap named c in the repo.');
      assert.is((error as TaskError).hint, 'Available dashboards: a, b');
    }
  });
});

test.run();
