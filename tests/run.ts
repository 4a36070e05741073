// Runs every uvu test file in its own Node process (isolation: servers, env, cwd) and ends with
// one line `N passed, N failed` (or `N passed, N failed, M skipped` when tests were declared
// skipped, after a line saying why) that counts every uvu test. A file that dies before uvu prints
// its summary counts as one failure, so a crash can never look like a pass (tests/helpers/uvu-summary.ts).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';
import { closingLines, countFile, countsLine, stripColours, type FileCounts } from './helpers/uvu-summary.ts';

const root = new URL('..', import.meta.url).pathname;

function findTestFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTestFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

type FileResult = FileCounts & { file: string; output: string };

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
      const text = stripColours(output);
      resolve({ file, output: text, ...countFile(text, code) });
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
      process.stdout.write(`${mark} ${relative(root, file)} (${countsLine(result)})\n`);
      if (result.failed) process.stdout.write(result.output.replace(/^/gm, '    ') + '\n');
    }
  });
  await Promise.all(workers);
  if (files.length === 0) process.stdout.write('no test files matched\n');
  for (const line of closingLines(results)) process.stdout.write(`${line}\n`);
  process.exitCode = results.some((r) => r.failed > 0) || files.length === 0 ? 1 : 0;
}

await main();
