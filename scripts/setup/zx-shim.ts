// npm postinstall: replaces node_modules/.bin/zx with a small shell script that starts zx with
// the tsx loader, so `node_modules/.bin/zx tasks/<task>.ts` runs TypeScript on Node 20 too.
// (`npx zx` and `npm run` get the loader from .npmrc's node-options; a bare node_modules/.bin/zx
// gets no npm environment, and Node 20 cannot load .ts by itself.)
import { existsSync, lstatSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SHIM_MARKER = '# gitops-tasks zx shim';

// The shell script that stands in for zx's own bin link.
export function shimScript(): string {
  return [
    '#!/bin/sh',
    SHIM_MARKER + ': zx with the tsx loader (written by scripts/setup/zx-shim.ts on npm install)',
    'bin=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd -P)',
    'exec node --import "$bin/../tsx/dist/esm/index.mjs" "$bin/../zx/build/cli.js" "$@"',
    '',
  ].join('\n');
}

// Installs the shim into `<root>/node_modules/.bin/zx`; returns what it did.
export function installShim(root: string): 'installed' | 'unchanged' | 'skipped' {
  const bin = join(root, 'node_modules', '.bin', 'zx');
  if (!existsSync(join(root, 'node_modules', 'zx', 'build', 'cli.js')) || !existsSync(join(root, 'node_modules', 'tsx'))) {
    return 'skipped';
  }
  if (existsSync(bin) && !lstatSync(bin).isSymbolicLink() && readFileSync(bin, 'utf8') === shimScript()) return 'unchanged';
  const temp = `${bin}.${process.pid}.tmp`;
  writeFileSync(temp, shimScript(), { mode: 0o755 });
  renameSync(temp, bin);
  return 'installed';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (installShim(process.cwd()) === 'installed') console.log('node_modules/.bin/zx now loads TypeScript through tsx');
}
