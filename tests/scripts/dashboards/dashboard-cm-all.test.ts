// Every real dashboard in the corpus (tests/helpers/corpus.ts; skipped when absent) through
// dashboard-cm and the real kubectl against the simulated cluster: what kubectl stores is exactly
// what the file says, annotation included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startSimCluster, type SimCluster } from '../../sim/index.ts';
import { simContext } from '../../helpers/sim-context.ts';
import { dashboardRepo } from '../../helpers/dashboard-repo.ts';
import { CORPUS_PRESENT, corpusFiles, corpusPath, corpusTest } from '../../helpers/corpus.ts';
import { removeDir } from '../../helpers/testdir.ts';
import { dashboardCm } from '../../../scripts/dashboards/dashboard-cm.ts';
import { LAST_APPLIED_KEY } from '../../../scripts/dashboards/go-json.ts';

let sim: SimCluster;
test.before(async () => {
  if (CORPUS_PRESENT) sim = await startSimCluster();
});
test.after(async () => {
  await sim?.stop();
});

// Over the 256 KiB annotation limit with kubectl's last-applied copy: applied server-side.
const SERVER_SIDE = new Set(['rfmoz-node-exporter-full.json', 'rfmoz-haproxy.json', 'percona-nodes-overview.json', 'percona-mysql-innodb-details.json']);

const files = corpusFiles();

corpusTest(test)('the shared folder holds the twelve dashboards of its README', () => {
  assert.is(files.length, 12);
});

for (const file of files) {
  const name = file.replace(/\.json$/, '').replace(/^rfmoz-|^percona-|^dotdc-/, '').slice(0, 40);
  test(`${file} goes through dashboard-cm and kubectl stores exactly the file`, async () => {
    const root = dashboardRepo();
    try {
      mkdirSync(join(root, 'tmp'));
      copyFileSync(corpusPath(file), join(root, 'tmp/dashboard.json'));
      const { context } = simContext(sim, {}, root);
      const run = dashboardCm({ name, file: 'tmp/dashboard.json', offline: false, category: 'auto', serverSide: false, restart: true, extract: false, rewriteInputs: true, timeout: 60 }, context);
      if (file === 'rfmoz-node-exporter-full-old.json') {
        // This export has no uid at all: Grafana would invent one per start, so it is refused.
        try {
          await run;
          assert.unreachable();
        } catch (error) {
          assert.match((error as Error).message, /uid/);
        }
        return;
      }
      const result = await run;
      assert.ok(result.cluster.applied);
      if (!result.cluster.applied) return;
      assert.is(result.cluster.operation, 'created');
      assert.is(result.cluster.serverSide, SERVER_SIDE.has(file));
      const manifest = parse(readFileSync(join(root, result.target), 'utf8'));
      const live = sim.get('v1', 'ConfigMap', 'logging', `grafana-dashboard-${name}`);
      if (!live) return assert.unreachable(`grafana-dashboard-${name} is not in the simulated cluster`);
      assert.equal(live.data, manifest.data);
      assert.is(live.metadata.annotations?.[LAST_APPLIED_KEY], manifest.metadata.annotations?.[LAST_APPLIED_KEY]);
      assert.is(manifest.metadata.annotations?.[LAST_APPLIED_KEY] === undefined, SERVER_SIDE.has(file));
      const stored = JSON.parse(live.data[`${name}-dashboard.json`]);
      assert.is(stored.id, null);
      assert.is(stored.uid, JSON.parse(readFileSync(corpusPath(file), 'utf8')).uid);
    } finally {
      removeDir(root);
    }
  });
}
if (!CORPUS_PRESENT) corpusTest(test)('every corpus dashboard goes through dashboard-cm and kubectl stores exactly the file', () => {});

test.run();
