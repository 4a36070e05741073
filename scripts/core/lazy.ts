// The one way modules are loaded on first use by code that must stay synchronous: a run that never
// needs the YAML parser (or the TypeScript compiler) never pays for loading it. Asynchronous code
// uses `await import()` instead, and a task's implementation comes from its declaration's load().
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// The yaml package, loaded on the first call.
export function loadYaml(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}

// The TypeScript compiler (a devDependency: undefined when it is not installed).
export function loadTypeScript(): typeof import('typescript') | undefined {
  try {
    return require('typescript') as typeof import('typescript');
  } catch {
    return undefined;
  }
}
