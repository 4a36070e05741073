// dashboard-cm as a process, on what it does to the repository: a name never takes over another
// dashboard, an update keeps folder and category, all files or none, next steps from git, parallel
// runs, and where command-line paths point.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardRepo } from '../../helpers/dashboard-repo.ts';
import { REPO, runTaskProcess, type ProcessResult } from '../../helpers/run-task-process.ts';
import { git, removeDir } from '../../helpers/testdir.ts';
import { captureIo, testContext } from '../../helpers/io.ts';
import { InterruptedError } from '../../../scripts/core/errors.ts';
import { dashboardCm } from '../../../scripts/dashboards/dashboard-cm.ts';
import { makeReadOnly } from '../../helpers/testdir.ts';

const D = 'infrastructure/logging/dashboards';
const run = (root: string, ...args: string[]) => runTaskProcess('dashboard-cm', args, { root });
const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');
const untracked = (root: string) => git(root, 'status', '--porcelain', '--untracked-files=all', '--', 'infrastructure');

const panel = (type: string) => ({ type: 'timeseries', datasource: { type, uid: type }, targets: [] });
const dashboard = (uid: string, title: string, types: string[] = ['prometheus']) => JSON.stringify({ title, uid, schemaVersion: 39, panels: types.map(panel) });

function exportFile(root: string, content: string, path = 'tmp/dashboard.json'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), content);
}


// The task run from `cwd` (a folder inside the repository), as a user in a subdirectory runs it.
function runFrom(root: string, cwd: string, ...args: string[]): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(`${REPO}node_modules/.bin/zx`, [`${REPO}tasks/dashboard-cm.ts`, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: root, NO_COLOR: '1', GITOPS_ROOT: root, KUBECONFIG: `${root}/.no-kubeconfig` },
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

test('a name that holds another dashboard (another uid) is refused naming both, and replaced only with --replace', async () => {
  const root = dashboardRepo();
  try {
    exportFile(root, dashboard('flux-logs', 'Flux Logs', ['loki']));
    assert.is((await run(root, 'flux-logs', '--offline')).code, 0);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'flux-logs');
    exportFile(root, dashboard('other-1', 'Other'));
    const refused = await run(root, 'flux-logs', '--offline');
    assert.is(refused.code, 1);
    assert.is(
      refused.stderr.replace(/^  run log: .*\n/m, ''),
      `✗ The name flux-logs already holds the dashboard "Flux Logs" (uid flux-logs) in ${D}/loki/flux-logs-configmap.yaml; tmp/dashboard.json is another dashboard, "Other" (uid other-1).\n` +
        '  next: Give the new dashboard its own name (npx zx tasks/dashboard-cm.ts <another-name> --file tmp/dashboard.json), or re-run with --replace to replace "Flux Logs" (uid flux-logs) with "Other" (uid other-1).\n',
    );
    assert.is(untracked(root), '', 'nothing written');
    const replaced = await run(root, 'flux-logs', '--offline', '--replace');
    assert.is(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stderr, /ℹ? ?Category changes from loki to prometheus/);
    assert.match(replaced.stdout, /\n  git commit -m "dashboards: replace flux-logs \(was \\"Flux Logs\\"\)"\n$/);
  } finally {
    removeDir(root);
  }
});

test('an update keeps the Grafana folder unless --folder changes or removes it', async () => {
  const root = dashboardRepo();
  const file = `${D}/prometheus/small-configmap.yaml`;
  try {
    exportFile(root, dashboard('small-1', 'Small'));
    assert.is((await run(root, 'small', '--offline', '--folder', 'Hosts')).code, 0);
    exportFile(root, dashboard('small-1', 'Small v2'));
    assert.is((await run(root, 'small', '--offline')).code, 0);
    assert.match(read(root, file), /\n  annotations:\n    grafana_folder: "Hosts"\n/);
    assert.match(read(root, file), /"title": "Small v2"/);
    assert.is((await run(root, 'small', '--offline', '--folder', 'Nodes')).code, 0);
    assert.match(read(root, file), /\n    grafana_folder: "Nodes"\n/);
    assert.is((await run(root, 'small', '--offline', '--folder', '')).code, 0);
    assert.not.match(read(root, file), /grafana_folder/);
  } finally {
    removeDir(root);
  }
});

test('auto keeps the category of a dashboard whose data sources did not change, and says when it moves', async () => {
  const root = dashboardRepo();
  try {
    exportFile(root, dashboard('small-1', 'Small'));
    const put = await run(root, 'small', '--offline', '--category', 'mixed');
    assert.is(put.code, 0, put.stderr);
    const again = await run(root, 'small', '--offline');
    assert.is(again.code, 0, again.stderr);
    assert.ok(existsSync(join(root, `${D}/mixed/small-configmap.yaml`)), 'stays in mixed/');
    assert.not.ok(existsSync(join(root, `${D}/prometheus/small-configmap.yaml`)));
    assert.match(again.stdout, /\nSources    prometheus → category mixed\n/);
    assert.not.match(again.stderr, /Category changes/);
    exportFile(root, dashboard('small-1', 'Small', ['loki']));
    const moved = await run(root, 'small', '--offline');
    assert.is(moved.code, 0, moved.stderr);
    assert.match(moved.stderr, new RegExp(`Category changes from mixed to loki \\(data sources were prometheus, now loki\\): moving ${D}/mixed/small-configmap.yaml to ${D}/loki/small-configmap.yaml\\.`));
    assert.ok(existsSync(join(root, `${D}/loki/small-configmap.yaml`)));
    assert.not.ok(existsSync(join(root, `${D}/mixed/small-configmap.yaml`)));
  } finally {
    removeDir(root);
  }
});

test('a read-only category folder: nothing is written, and the error names the path', async () => {
  const root = dashboardRepo();
  const undo = makeReadOnly(join(root, `${D}/prometheus`));
  try {
    exportFile(root, dashboard('small-1', 'Small'));
    const result = await run(root, 'small', '--offline');
    assert.is(result.code, 1);
    assert.match(result.stderr, new RegExp(`^✗ Cannot write ${D}/prometheus/small-configmap.yaml: permission denied \\((EACCES|EPERM)\\) on ${D}/prometheus\\. Nothing was changed\\.\\n  next: Make ${D}/prometheus writable`));
    assert.not.match(result.stderr, /internal error|    at /);
  } finally {
    undo();
  }
  try {
    assert.is(untracked(root), '');
  } finally {
    removeDir(root);
  }
});

test('next steps list what git sees as uncommitted, also when this run changed nothing', async () => {
  const root = dashboardRepo();
  try {
    exportFile(root, dashboard('small-1', 'Small'));
    assert.is((await run(root, 'small', '--offline')).code, 0);
    const again = await run(root, 'small', '--offline');
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /\(unchanged\)\n/);
    assert.match(
      again.stdout,
      new RegExp(`\\nNext steps\\n  git add ${D}/prometheus/small-configmap.yaml ${D}/prometheus/kustomization.yaml\\n  git commit -m "dashboards: add small"\\n$`),
    );
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'small');
    assert.match((await run(root, 'small', '--offline')).stdout, /nothing to commit\.\n$/);
  } finally {
    removeDir(root);
  }
});

test('five runs at once into the same category all end listed', async () => {
  const root = dashboardRepo();
  try {
    const names = ['one', 'two', 'three', 'four', 'five'];
    for (const name of names) exportFile(root, dashboard(`uid-${name}`, name), `exports/${name}.json`);
    const results = await Promise.all(names.map((name) => run(root, name, '--offline', '--file', `exports/${name}.json`)));
    for (const result of results) assert.is(result.code, 0, result.stderr);
    const listed = read(root, `${D}/prometheus/kustomization.yaml`);
    assert.equal(listed.match(/^  - .*$/gm)?.sort(), names.map((name) => `  - ${name}-configmap.yaml`).sort());
    assert.not.ok(existsSync(join(root, 'tmp/locks/repo.lock')), 'the lock is released');
  } finally {
    removeDir(root);
  }
});

// Starts the task as a child process that can be sent signals; `stderr()` is what it printed so far.
function start(root: string, ...args: string[]) {
  const child = spawn(`${REPO}node_modules/.bin/zx`, [`${REPO}tasks/dashboard-cm.ts`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: root, NO_COLOR: '1', GITOPS_ROOT: root, KUBECONFIG: `${root}/.no-kubeconfig` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

async function waitForText(read: () => string, text: string): Promise<void> {
  for (let i = 0; i < 600 && !read().includes(text); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(read().includes(text), `never printed ${JSON.stringify(text)}; stderr:\n${read()}`);
}

test('a run waits for the lock another run holds, says so, and can be stopped with Ctrl-C', async () => {
  const root = dashboardRepo();
  const lock = join(root, 'tmp/locks/repo.lock');
  try {
    exportFile(root, dashboard('small-1', 'Small'));
    mkdirSync(join(root, 'tmp/locks'), { recursive: true });
    const held = JSON.stringify({ pid: process.pid, started: '2026-11-29T10:00:00.000Z', command: 'dashboard-cm other' });
    writeFileSync(lock, held);
    const stopped = start(root, 'small', '--offline');
    await waitForText(stopped.stderr, `waiting for another run (pid ${process.pid}, started 2026-11-29T10:00:00.000Z: dashboard-cm other) to finish…`);
    stopped.child.kill('SIGINT');
    assert.is(await stopped.exit, 130);
    assert.is(read(root, 'tmp/locks/repo.lock'), held, "the other run's lock is left alone");
    assert.is(untracked(root), '');
    const waiting = start(root, 'small', '--offline');
    await waitForText(waiting.stderr, 'waiting for another run');
    rmSync(lock);
    assert.is(await waiting.exit, 0, waiting.stderr());
    assert.ok(existsSync(join(root, `${D}/prometheus/small-configmap.yaml`)));
    assert.not.ok(existsSync(lock));
  } finally {
    removeDir(root);
  }
});

test('after Ctrl-C nothing is written', async () => {
  const root = dashboardRepo();
  try {
    exportFile(root, dashboard('small-1', 'Small'));
    const controller = new AbortController();
    controller.abort();
    const context = testContext(captureIo({ cwd: root }), {}, controller.signal);
    const options = { name: 'small', offline: true, category: 'auto' as const, serverSide: false, restart: true, extract: false, rewriteInputs: false, timeout: 180 };
    await dashboardCm(options, context).then(() => assert.unreachable(), (error) => assert.instance(error, InterruptedError));
    assert.is(untracked(root), '');
  } finally {
    removeDir(root);
  }
});

test('--file is relative to the directory the command was run from', async () => {
  const root = dashboardRepo();
  try {
    exportFile(root, dashboard('small-1', 'Small'), 'work/export.json');
    const result = await runFrom(root, join(root, 'work'), 'small', '--offline', '--file', 'export.json');
    assert.is(result.code, 0, result.stderr);
    assert.ok(existsSync(join(root, `${D}/prometheus/small-configmap.yaml`)));
    const missing = await runFrom(root, join(root, 'work'), 'small', '--offline');
    assert.match(missing.stderr, /^✗ tmp\/dashboard.json does not exist\./, 'the default is the repository\'s tmp/dashboard.json');
  } finally {
    removeDir(root);
  }
});

test('the export must be a regular file under 20 MiB: /dev/zero and a FIFO fail at once', async () => {
  const root = dashboardRepo();
  try {
    const zero = await run(root, 'x', '--offline', '--file', '/dev/zero');
    assert.is(zero.code, 1);
    assert.match(zero.stderr, /^✗ \/dev\/zero is a character device, not a regular file: the export must be a saved JSON file\.\n/);
    execFileSync('mkfifo', [join(root, 'pipe.json')]);
    const fifo = await run(root, 'x', '--offline', '--file', 'pipe.json');
    assert.match(fifo.stderr, /^✗ pipe.json is a named pipe \(FIFO\), not a regular file/);
    writeFileSync(join(root, 'big.json'), '');
    execFileSync('truncate', ['-s', '21M', join(root, 'big.json')]);
    const big = await run(root, 'x', '--offline', '--file', 'big.json');
    assert.match(big.stderr, /^✗ big.json is 22020096 bytes, over the 20971520-byte \(20 MiB\) limit for an export/);
  } finally {
    removeDir(root);
  }
});

test.run();
