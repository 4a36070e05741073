// The real-dashboard corpus: public Grafana exports kept outside the repository (by default in
// ../shared/dashboards beside the clone, or wherever GITOPS_DASHBOARD_CORPUS points). It is optional:
// in a plain clone the tests that read it are declared skipped, and tests/run.ts says why.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Callback, Test } from 'uvu';
import { REPO } from './run-task-process.ts';

export const CORPUS_ENV = 'GITOPS_DASHBOARD_CORPUS';

// Absolute; a relative value of the variable is taken from the repository root.
export const CORPUS_DIR = resolve(REPO, process.env[CORPUS_ENV] || '../shared/dashboards');

export const CORPUS_PRESENT = existsSync(CORPUS_DIR) && statSync(CORPUS_DIR).isDirectory();

// The line tests/run.ts collects from a test file's output and prints once before its summary.
export const SKIP_MARKER = '# skipped: ';
export const CORPUS_SKIP_REASON = `the dashboard corpus is not at ${CORPUS_DIR} (set ${CORPUS_ENV})`;

// The path of corpus file `name`.
export function corpusPath(name: string): string {
  return join(CORPUS_DIR, name);
}

// The contents of corpus file `name`.
export function readCorpus(name: string): Buffer {
  return readFileSync(corpusPath(name));
}

// The corpus's dashboard exports (*.json), sorted; none when the corpus is absent.
export function corpusFiles(): string[] {
  return CORPUS_PRESENT ? readdirSync(CORPUS_DIR).filter((file) => file.endsWith('.json')).sort() : [];
}

let reasonPrinted = false;

// `test` when the corpus is present; otherwise a stand-in that declares each test skipped (uvu
// counts it under "Skipped:") and prints the reason once for tests/run.ts.
export function corpusTest<T>(test: Test<T>): (name: string, handler: Callback<T>) => void {
  if (CORPUS_PRESENT) return test;
  return (name) => {
    if (!reasonPrinted) process.stdout.write(`${SKIP_MARKER}${CORPUS_SKIP_REASON}\n`);
    reasonPrinted = true;
    test.skip(name);
  };
}
