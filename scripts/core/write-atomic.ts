// Atomic file writes: readers (git, Flux, an editor) see the old file or the new one, never half.
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

// Writes `data` to `path` via a temporary file in the same folder and a rename; keeps the old mode.
// `flush: false` skips waiting for the disk: for caches, which are read back as missing when lost.
export function writeFileAtomic(path: string, data: string | Uint8Array, { flush = true }: { flush?: boolean } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, data, { mode: existingMode(path), flush });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function existingMode(path: string): number {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return 0o644;
  }
}
