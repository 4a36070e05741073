// dashboard-cm run as users run it: exit codes, messages, and what it leaves in the repository.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardRepo } from '../helpers/dashboard-repo.ts';
import { FIXTURES_DIR, repoDashboard } from '../helpers/repo-dashboards.ts';
import { runTaskProcess } from '../helpers/run-task-process.ts';
import { git, removeDir, removeTestdirs } from '../helpers/testdir.ts';

test.after.each(removeTestdirs);

const run = (root: string, ...args: string[]) => runTaskProcess('dashboard-cm', args, { root });
const status = (root: string) => git(root, 'status', '--porcelain');

function exportFile(root: string, content: string | Buffer): void {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  writeFileSync(join(root, 'tmp/dashboard.json'), content);
}

const small = JSON.stringify({ title: 'Small', uid: 'small-1', schemaVersion: 39, panels: [{ type: 'timeseries', datasource: { type: 'prometheus', uid: 'prometheus' }, targets: [] }] }, null, 2);

test('a missing tmp/dashboard.json prints the export guide, exit 1, nothing written', async () => {
  const root = dashboardRepo();
  const result = await run(root, 'grafana', '--offline');
  assert.is(result.code, 1);
  assert.match(result.stderr, /^✗ tmp\/dashboard.json does not exist\.\n/);
  assert.match(result.stderr, /JSON Model/);
  assert.match(result.stderr, /pbpaste > tmp\/dashboard.json/);
  assert.match(result.stderr, /xclip -selection clipboard -o > tmp\/dashboard.json/);
  assert.not.match(result.stderr, /    at /, 'no stack trace');
  assert.is(status(root), '');
  removeDir(root);
});

test('bad input files are refused with line and column, exit 1, nothing written', async () => {
  const root = dashboardRepo();
  const cases: [string | Buffer, RegExp][] = [
    [Buffer.from([0x7b, 0x0a, 0x22, 0xff, 0x22]), /^✗ tmp\/dashboard.json:2:2: not valid UTF-8 \(byte 0xff at offset 3\)\./],
    ['', /^✗ tmp\/dashboard.json is empty/],
    ['{\n  "title": "x",\n  oops\n}', /^✗ tmp\/dashboard.json:3:3: /],
    ['[]', /^✗ tmp\/dashboard.json .*array/],
    [JSON.stringify({ title: 'No uid' }), /uid/],
  ];
  for (const [content, expected] of cases) {
    exportFile(root, content);
    const result = await run(root, 'x', '--offline');
    assert.is(result.code, 1, `exit code for ${String(content).slice(0, 20)}`);
    assert.match(result.stderr, expected);
    assert.is(status(root), '');
  }
  removeDir(root);
});

test('a BOM is accepted: the same report and files as without it, no BOM written, the export left as it was', async () => {
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(small)]);
  const root = dashboardRepo();
  const plain = dashboardRepo();
  try {
    exportFile(root, withBom);
    exportFile(plain, small);
    const result = await run(root, 'small', '--offline');
    const expected = await run(plain, 'small', '--offline');
    assert.is(result.code, 0, result.stderr);
    assert.is(result.stderr, '');
    const configMap = 'infrastructure/logging/dashboards/prometheus/small-configmap.yaml';
    const kustomization = 'infrastructure/logging/dashboards/prometheus/kustomization.yaml';
    assert.is(
      result.stdout,
      [
        'Dashboard  "Small" (uid small-1)',
        'Size       248 bytes of JSON, 1 panel',
        'Sources    prometheus → category prometheus',
        `Files      ${configMap} (created)`,
        `           ${kustomization} (updated)`,
        'Cluster    not applied: --offline',
        '',
        'Next steps',
        `  git add ${configMap} ${kustomization}`,
        '  git commit -m "dashboards: add small"',
        '',
      ].join('\n'),
    );
    assert.is(result.stdout, expected.stdout);
    assert.is(git(root, 'status', '--porcelain', '--untracked-files=all'), `M ${kustomization}\n?? ${configMap}`, 'only the ConfigMap and its kustomization (git output trimmed)');
    for (const file of [configMap, kustomization]) assert.is(readFileSync(join(root, file), 'utf8'), readFileSync(join(plain, file), 'utf8'), file);
    assert.not.match(readFileSync(join(root, configMap), 'utf8'), /\ufeff/);
    assert.equal(readFileSync(join(root, 'tmp/dashboard.json')), withBom);
  } finally {
    removeDir(root);
    removeDir(plain);
  }
});

test('names that are not DNS-1123 or could escape a path are usage errors, exit 2', async () => {
  const root = dashboardRepo();
  exportFile(root, small);
  for (const name of ['Foo', '../x', 'a/b', '-x']) {
    const result = await run(root, name, '--offline');
    assert.is(result.code, 2, name);
    assert.match(result.stderr, /^error: /);
    assert.match(result.stderr, /\nUsage: npx zx tasks\/dashboard-cm.ts <name> \[options\]\n/);
  }
  assert.is(status(root), '');
  removeDir(root);
});

test('writes the ConfigMap and kustomization offline, then a re-run changes nothing', async () => {
  const root = dashboardRepo();
  writeFileSync(join(root, 'tmp-export.json'), JSON.stringify(repoDashboard('flux-logs'), null, 2));
  const first = await run(root, 'flux-logs', '--file', 'tmp-export.json', '--offline', '--folder', 'Flux');
  assert.is(first.code, 0, first.stderr);
  assert.is(
    first.stdout,
    [
      'Dashboard  "Flux Logs" (uid flux-logs)',
      'Size       7,665 bytes of JSON, 2 panels',
      'Sources    loki → category loki',
      'Files      infrastructure/logging/dashboards/loki/flux-logs-configmap.yaml (created)',
      '           infrastructure/logging/dashboards/loki/kustomization.yaml (updated)',
      'Cluster    not applied: --offline',
      '',
      'Next steps',
      '  git add infrastructure/logging/dashboards/loki/flux-logs-configmap.yaml infrastructure/logging/dashboards/loki/kustomization.yaml',
      '  git commit -m "dashboards: add flux-logs"',
      '',
    ].join('\n'),
  );
  assert.is(
    readFileSync(join(root, 'infrastructure/logging/dashboards/loki/kustomization.yaml'), 'utf8'),
    '# loki dashboards\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - flux-logs-configmap.yaml\n',
  );
  const yaml = readFileSync(join(root, 'infrastructure/logging/dashboards/loki/flux-logs-configmap.yaml'), 'utf8');
  assert.match(yaml, /\n  name: grafana-dashboard-flux-logs\n  namespace: logging\n  labels:\n    grafana_dashboard: "1"\n  annotations:\n    grafana_folder: "Flux"\n    kustomize.toolkit.fluxcd.io\/substitute: disabled\n/);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'add');
  const second = await run(root, 'flux-logs', '--file', 'tmp-export.json', '--offline', '--folder', 'Flux');
  assert.is(second.code, 0);
  assert.match(second.stdout, /\(unchanged\)\nCluster    not applied: --offline\n\nThe repository already holds exactly this dashboard: nothing to commit.\n$/);
  assert.is(status(root), '', 'byte-identical');
  removeDir(root);
});

test('--dry-run shows the writes and writes nothing', async () => {
  const root = dashboardRepo();
  exportFile(root, small);
  const result = await run(root, 'small', '--offline', '--dry-run');
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /^would run: write infrastructure\/logging\/dashboards\/prometheus\/small-configmap.yaml \(new file, \d+ bytes\)\nwould run: write infrastructure\/logging\/dashboards\/prometheus\/kustomization.yaml \(changed, \d+ bytes\)\n/);
  assert.match(result.stdout, /\nDry run: nothing was written or applied\. Run again without --dry-run to do it\.\n$/);
  assert.is(git(root, 'status', '--porcelain', '--untracked-files=all', '--', 'infrastructure'), '');
  removeDir(root);
});

test('unresolved ${DS_…} placeholders are refused with the fix, and rewritten with --rewrite-inputs', async () => {
  const root = dashboardRepo();
  copyFileSync(join(FIXTURES_DIR, 'exported-externally.json'), join(root, 'export.json'));
  const refused = await run(root, 'mltp-cloud', '--file', 'export.json', '--offline');
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /^✗ export.json was exported "for sharing externally": \$\{DS_/);
  assert.match(refused.stderr, /next: Re-run with --rewrite-inputs/);
  assert.is(status(root), '?? export.json');
  const rewritten = await run(root, 'mltp-cloud', '--file', 'export.json', '--offline', '--rewrite-inputs');
  assert.is(rewritten.code, 0, rewritten.stderr);
  assert.match(rewritten.stderr, /⚠ \$\{DS_GRAFANACLOUD-EXAMPLE1-PROM\} became the dashboard variable \$\{DS_GRAFANACLOUD_EXAMPLE1_PROM\}/);
  removeDir(root);
});

test('a uid already used by another dashboard in the repo is refused naming both files', async () => {
  const root = dashboardRepo();
  exportFile(root, small);
  assert.is((await run(root, 'small', '--offline')).code, 0);
  const result = await run(root, 'other', '--offline');
  assert.is(result.code, 1);
  assert.match(result.stderr, /^✗ The dashboard in tmp\/dashboard.json has uid "small-1", which infrastructure\/logging\/dashboards\/prometheus\/small-configmap.yaml \(small-dashboard.json\) already uses/);
  assert.not.ok(existsSync(join(root, 'infrastructure/logging/dashboards/prometheus/other-configmap.yaml')));
  removeDir(root);
});

test('a dashboard over 1 MiB even minified is refused', async () => {
  const root = dashboardRepo();
  const panels = Array.from({ length: 1100 }, (_, i) => ({ id: i, type: 'text', options: { content: 'x'.repeat(1000) } }));
  exportFile(root, JSON.stringify({ title: 'Huge', uid: 'huge', panels }));
  const result = await run(root, 'huge', '--offline');
  assert.is(result.code, 1);
  assert.match(result.stderr, /^✗ tmp\/dashboard.json is too big for a ConfigMap: \d+ bytes even minified, over the 1048576-byte \(1 MiB\) limit\./);
  assert.is(status(root), '');
  removeDir(root);
});

test('without category folders the ConfigMap goes straight into dashboards/', async () => {
  const root = dashboardRepo({ categories: false });
  exportFile(root, small);
  const result = await run(root, 'small', '--offline');
  assert.is(result.code, 0, result.stderr);
  assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/small-configmap.yaml')));
  assert.match(readFileSync(join(root, 'infrastructure/logging/dashboards/kustomization.yaml'), 'utf8'), /resources:\n  - small-configmap.yaml\n$/);
  removeDir(root);
});

test('a new category moves the ConfigMap and its kustomization entry', async () => {
  const root = dashboardRepo();
  exportFile(root, small);
  assert.is((await run(root, 'small', '--offline')).code, 0);
  const moved = await run(root, 'small', '--offline', '--category', 'mixed');
  assert.is(moved.code, 0, moved.stderr);
  assert.not.ok(existsSync(join(root, 'infrastructure/logging/dashboards/prometheus/small-configmap.yaml')));
  assert.ok(existsSync(join(root, 'infrastructure/logging/dashboards/mixed/small-configmap.yaml')));
  assert.not.match(readFileSync(join(root, 'infrastructure/logging/dashboards/prometheus/kustomization.yaml'), 'utf8'), /small/);
  assert.match(moved.stdout, /infrastructure\/logging\/dashboards\/prometheus\/small-configmap.yaml \(removed\)/);
  assert.match(moved.stdout, /\nSources    prometheus → category mixed\n/);
  assert.match(moved.stderr, /Category changes from prometheus to mixed \(--category\): moving infrastructure\/logging\/dashboards\/prometheus\/small-configmap.yaml to infrastructure\/logging\/dashboards\/mixed\/small-configmap.yaml\./);
  removeDir(root);
});

test('--extract writes the repository JSON back, and will not overwrite another export without --yes', async () => {
  const root = dashboardRepo();
  exportFile(root, small);
  assert.is((await run(root, 'small', '--offline')).code, 0);
  writeFileSync(join(root, 'tmp/dashboard.json'), '{"title":"something else"}');
  const refused = await run(root, 'small', '--extract');
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /^error: "tmp\/dashboard.json holds another dashboard export; overwrite it with small\?" needs an answer, and there is no terminal to ask on: pass --yes to confirm\n/);
  const extracted = await run(root, 'small', '--extract', '--yes');
  assert.is(extracted.code, 0, extracted.stderr);
  assert.equal(JSON.parse(readFileSync(join(root, 'tmp/dashboard.json'), 'utf8')), { ...JSON.parse(small), id: null });
  assert.match(extracted.stdout, /^Wrote tmp\/dashboard.json from infrastructure\/logging\/dashboards\/prometheus\/small-configmap.yaml \(updated\)\./);
  const missing = await run(root, 'nope', '--extract');
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /^✗ There is no dashboard ConfigMap named nope in the repo\.\n  next: Available dashboards: small\n/);
  removeDir(root);
});

test('--category must be one of the choices', async () => {
  const root = dashboardRepo();
  const result = await run(root, 'x', '--category', 'graphite');
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: --category must be one of: auto, prometheus, loki, tempo, mixed, none\n/);
  removeDir(root);
});

test.run();
