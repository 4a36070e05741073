// Checks the shape of a classic dashboard JSON model with a small JSON schema of our own (Grafana
// publishes none; its source of truth is CUE). The validator comes compiled from the schema cache.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { TaskError } from '../core/errors.ts';
import { cachedValidator } from '../core/cache.ts';
import type { Dashboard } from './read-export.ts';

// NOTE: Grafana accepts uids of 1–40 characters from [a-zA-Z0-9_-]; it generates 8–14 character ones.
export const UID_PATTERN = '^[a-zA-Z0-9_-]{1,40}$';

const SCHEMA = {
  type: 'object',
  required: ['title', 'uid'],
  properties: {
    title: { type: 'string', minLength: 1, pattern: '\\S' },
    uid: { type: 'string', pattern: UID_PATTERN },
    panels: { type: 'array', items: { type: 'object' } },
    rows: { type: 'array', items: { type: 'object' } },
    templating: { type: 'object', properties: { list: { type: 'array', items: { type: 'object' } } } },
    annotations: { type: 'object', properties: { list: { type: 'array', items: { type: 'object' } } } },
    schemaVersion: { type: 'integer' },
  },
} as const;

let compiled: ValidateFunction | undefined;

// Throws a TaskError listing every schema problem with its JSON pointer; returns quietly when valid.
export function validateDashboard(dashboard: Dashboard, sourcePath: string): void {
  compiled ??= cachedValidator(SCHEMA, { allErrors: true, strict: true });
  if (compiled(dashboard)) return;
  const problems = [...new Set((compiled.errors ?? []).map((error) => `  ${describe(error, dashboard)}`))];
  throw new TaskError(`${sourcePath} is not a usable Grafana dashboard:\n${problems.join('\n')}`, {
    hint: 'Export the JSON model of a saved dashboard (Dashboard settings → JSON Model); it always has a title and a uid.',
  });
}

function describe(error: ErrorObject, dashboard: Dashboard): string {
  const pointer = error.instancePath || '/';
  if (error.keyword === 'required') {
    const property = String(error.params.missingProperty);
    const fix = property === 'uid' ? ' (add e.g. "uid": "my-dashboard": 1–40 letters, digits, "_" or "-")' : '';
    return `${pointer}: the "${property}" property is missing${fix}`;
  }
  if (error.instancePath === '/uid' && error.keyword === 'pattern') {
    return `/uid: ${JSON.stringify(dashboard.uid)} is not a valid uid (1–40 letters, digits, "_" or "-")`;
  }
  if (error.instancePath === '/title') return '/title: must be a non-empty string';
  return `${pointer}: ${error.message ?? error.keyword}`;
}
