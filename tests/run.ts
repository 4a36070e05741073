// Runs every uvu test file in its own Node process (isolation: servers, env, cwd) and ends with
// one line `N passed, N failed` (or `N passed, N failed, M skipped` when tests were declared
// skipped, after a line saying why) that counts every uvu test. A file that dies before uvu prints
// its summary counts as one failure, so a crash can never look like a pass.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { SKIP_MARKER } from './helpers/corpus.ts';

const root = new URL('..', import.meta.url).pathname;
const ANSI = /\x1b\[[0-9;]*m/g;

function findTestFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTestFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

type FileResult = { file: string; passed: number; failed: number; skipped: number; reasons: string[]; output: string };

// The count on uvu's last `  <label>:  N` summary line, if it printed one.
function summaryCount(text: string, label: string): number | undefined {
  const lines = [...text.matchAll(new RegExp(`^  ${label}:\\s+(\\d+)$`, 'gm'))];
  return lines.length > 0 ? Number(lines[lines.length - 1][1]) : undefined;
}

// Why tests were skipped: the lines a test file printed with SKIP_MARKER.
function skipReasons(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(SKIP_MARKER)).map((line) => line.slice(SKIP_MARKER.length));
}

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
      const [total, passed, skipped] = ['Total', 'Passed', 'Skipped'].map((label) => summaryCount(text, label));
      const reasons = skipReasons(text);
      if (total === undefined || passed === undefined || skipped === undefined) return resolve({ file, passed: 0, failed: 1, skipped: 0, reasons, output: text });
      const failedTests = total - passed;
      // A non-zero exit with every test passed (a crash after the summary) still counts as a failure.
      const failed = failedTests + (code !== 0 && failedTests === 0 ? 1 : 0);
      resolve({ file, passed, failed, skipped, reasons, output: text });
    });
  });
}

// `N passed, N failed`, with `, M skipped` only when something was skipped.
function counts(result: { passed: number; failed: number; skipped: number }): string {
  return `${result.passed} passed, ${result.failed} failed${result.skipped > 0 ? `, ${result.skipped} skipped` : ''}`;
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
      process.stdout.write(`${mark} ${relative(root, file)} (${counts(result)})\n`);
      if (result.failed) process.stdout.write(result.output.replace(/^/gm, '    ') + '\n');
    }
  });
  await Promise.all(workers);
  const sum = (key: 'passed' | 'failed' | 'skipped') => results.reduce((total, r) => total + r[key], 0);
  const skipped = sum('skipped');
  if (files.length === 0) process.stdout.write('no test files matched\n');
  if (skipped > 0) {
    const reasons = [...new Set(results.flatMap((r) => r.reasons))];
    process.stdout.write(`skipped: ${reasons.length > 0 ? reasons.join('; ') : 'tests declared with test.skip'}\n`);
  }
  process.stdout.write(`${counts({ passed: sum('passed'), failed: sum('failed'), skipped })}\n`);
  const failed = sum('failed');
  process.exitCode = failed || files.length === 0 ? 1 : 0;
}

await main();
