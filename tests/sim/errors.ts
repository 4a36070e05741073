// Kubernetes Status objects with the API server's exact wording, thrown as SimError by handlers.
import type { ResourceType } from './resources.ts';

export type StatusCause = { reason: string; message: string; field?: string };
export type Status = {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
};

export class SimError extends Error {
  status: Status;
  constructor(status: Status) {
    super(status.message);
    this.status = status;
  }
}

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Expired', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

// A Failure Status with the given code; the reason defaults to the one the API server uses for that code.
export function status(code: number, message: string, reason = REASONS[code] ?? 'Unknown', details?: Status['details']): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return s;
}

// `<plural>[.<group>]`, the name the API server uses in NotFound/AlreadyExists/Conflict messages.
export function qualifiedResource(rt: Pick<ResourceType, 'plural' | 'group'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

// 404 `configmaps "x" not found`.
export function notFound(rt: Pick<ResourceType, 'plural' | 'group'>, name: string): SimError {
  return new SimError(status(404, `${qualifiedResource(rt)} "${name}" not found`, 'NotFound', { name, group: rt.group || undefined, kind: rt.plural }));
}

// 409 `configmaps "x" already exists`.
export function alreadyExists(rt: ResourceType, name: string): SimError {
  return new SimError(status(409, `${qualifiedResource(rt)} "${name}" already exists`, 'AlreadyExists', { name, group: rt.group || undefined, kind: rt.plural }));
}

// 409 Conflict on a stale resourceVersion, worded like the generic registry store.
export function staleConflict(rt: ResourceType, name: string): SimError {
  const message = `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": the object has been modified; please apply your changes to the latest version and try again`;
  return new SimError(status(409, message, 'Conflict', { name, group: rt.group || undefined, kind: rt.plural }));
}

// 422 Invalid: `<Kind[.group]> "<name>" is invalid: <field>: <msg>` (several causes as `[a, b]`).
export function invalid(rt: ResourceType, name: string, causes: StatusCause[]): SimError {
  const kind = rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const errs = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new SimError(status(422, `${kind} "${name}" is invalid: ${errs}`, 'Invalid', { name, group: rt.group || undefined, kind: rt.kind, causes }));
}

// 404 for a path the server does not serve (no such resource type or subresource).
export function notServed(): SimError {
  return new SimError(status(404, 'the server could not find the requested resource', 'NotFound'));
}

// 400 BadRequest with a plain message.
export function badRequest(message: string): SimError {
  return new SimError(status(400, message, 'BadRequest'));
}
