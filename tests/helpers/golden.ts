// Golden files under tests/fixtures/golden/: compare exactly; UPDATE_GOLDEN=1 rewrites them
// (then read the diff by hand before committing).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as assert from 'uvu/assert';

export const GOLDEN_DIR = new URL('../fixtures/golden/', import.meta.url).pathname;

// Asserts that `actual` equals the golden file `name` byte for byte.
export function assertGolden(actual: string, name: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`missing golden file ${path}: run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  assert.fixture(actual, readFileSync(path, 'utf8'));
}

// The contents of golden file `name`.
export function readGolden(name: string): string {
  return readFileSync(join(GOLDEN_DIR, name), 'utf8');
}
