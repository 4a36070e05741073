// Where tasks keep caches between runs.
import { fileURLToPath } from 'node:url';

// node_modules/.cache/gitops-tasks: the usual place for tool caches; git ignores it, `npm ci` empties it.
// NOTE: it must stay inside node_modules: cached ajv modules require('ajv/dist/runtime/…') from there.
export const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/gitops-tasks/', import.meta.url));
