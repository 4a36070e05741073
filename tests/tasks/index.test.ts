import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const taskNames = readdirSync(`${root}tasks`).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.slice(0, -3)).sort();

function run(program: string, args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

test('node_modules/.bin/zx runs the index on Node 20 without NODE_OPTIONS and lists every task file', async () => {
  const result = await run(`${root}node_modules/.bin/zx`, ['tasks/index.ts']);
  assert.is(result.code, 0);
  assert.is(result.stderr, '');
  const lines = result.stdout.trimEnd().split('\n');
  assert.is(lines[0], 'Tasks (npx zx tasks/<task>.ts --help for the options of one):');
  assert.equal([...new Set(lines.slice(1).map((l) => /tasks\/([\w-]+)\.ts/.exec(l)?.[1]))], taskNames, 'every task, a line per command of a task with commands');
  for (const line of lines.slice(1)) assert.match(line, /^  npx zx tasks\/[\w-]+\.ts .*\[options\]\s+# \S/);
});

test('--json describes every task with arguments and typed options', async () => {
  const result = await run(`${root}node_modules/.bin/zx`, ['tasks/index.ts', '--json']);
  assert.is(result.code, 0);
  type Runnable = { name: string; command?: string; readOnly?: boolean; options: { name: string; type: string }[] };
  const tasks = JSON.parse(result.stdout) as (Runnable & { commands?: Runnable[] })[];
  assert.equal(tasks.map((t) => t.name), taskNames);
  for (const runnable of tasks.flatMap((t) => t.commands ?? [t])) {
    // A read-only task (it changes nothing) has no --dry-run; every other one has.
    assert.is(runnable.options.some((o) => o.name === 'dryRun' && o.type === 'boolean'), runnable.readOnly !== true, `${runnable.name} ${runnable.command ?? ''} has --dry-run unless read-only`);
  }
  assert.equal(tasks.filter((t) => t.readOnly).map((t) => t.name), ['status', 'validate']);
  const workflow = tasks.find((t) => t.name === 'dev-workflow')!;
  assert.equal(workflow.commands!.map((c) => c.command), ['start', 'test', 'diff', 'checkpoint', 'status', 'finish', 'abort', 'resume']);
});

test('npx zx runs the index through the loader in .npmrc', async () => {
  const result = await run('npx', ['--no-install', 'zx', 'tasks/index.ts', '--help']);
  assert.is(result.code, 0);
  assert.match(result.stdout, /^index — list the tasks of this repository with their usage \(at a terminal: pick one to run\)\n/);
});

test('an unknown flag exits 2 with the usage', async () => {
  const result = await run(`${root}node_modules/.bin/zx`, ['tasks/index.ts', '--jsn']);
  assert.is(result.code, 2);
  assert.is(result.stderr, 'error: unknown option --jsn (did you mean --json?)\n\nUsage: npx zx tasks/index.ts [options]\nRun with --help for all options.\n');
});

test.run();
