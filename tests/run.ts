// Runs every uvu test file in its own Node process (isolation: servers, env, cwd) and ends with
// one line `N passed, N failed` that counts every uvu test. A file that dies before uvu prints its
// summary counts as one failure, so a crash can never look like a pass.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const ANSI = /\x1b\[[0-9;]*m/g;

function findTestFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTestFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

type FileResult = { file: string; passed: number; failed: number; output: string };

function runFile(file: string): Promise<FileResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import=tsx/esm', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const text = output.replace(ANSI, '');
      const total = /Total:\s+(\d+)/.exec(text);
      const passed = /Passed:\s+(\d+)/.exec(text);
      if (!total || !passed) return resolve({ file, passed: 0, failed: 1, output: text });
      const failedTests = Number(total[1]) - Number(passed[1]);
      // A non-zero exit with every test passed (a crash after the summary) still counts as a failure.
      const failed = failedTests + (code !== 0 && failedTests === 0 ? 1 : 0);
      resolve({ file, passed: Number(passed[1]), failed, output: text });
    });
  });
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = findTestFiles(join(root, 'tests')).filter(
    (file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)),
  );
  const queue = [...files];
  const results: FileResult[] = [];
  const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const result = await runFile(file);
      results.push(result);
      const mark = result.failed ? 'FAIL' : 'ok  ';
      process.stdout.write(`${mark} ${relative(root, file)} (${result.passed} passed, ${result.failed} failed)\n`);
      if (result.failed) process.stdout.write(result.output.replace(/^/gm, '    ') + '\n');
    }
  });
  await Promise.all(workers);
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  if (files.length === 0) process.stdout.write('no test files matched\n');
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed || files.length === 0 ? 1 : 0;
}

await main();
