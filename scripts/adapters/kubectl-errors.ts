// Reads kubectl's error output: which API error it was (NotFound, Forbidden, a server error, …)
// or whether the cluster could not be reached, and what to do next for each kind of failure.
import { formatCommand } from '../exec/format-command.ts';

export type KubectlErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'ServerError'
  | 'Unreachable'
  | 'NoContext'
  | 'UnknownKind'
  | 'Other';

// API reasons of 5xx and 429 answers: the server had a problem, the request may well succeed later.
const SERVER_REASONS = new Set(['InternalError', 'ServiceUnavailable', 'Timeout', 'ServerTimeout', 'TooManyRequests', 'InternalServerError']);

// Classifies kubectl stderr.
export function classifyKubectlError(stderr: string): KubectlErrorKind {
  const server = /Error from server \((\w+)\)/.exec(stderr);
  if (server) {
    const reason = server[1];
    if (reason === 'NotFound' || reason === 'AlreadyExists' || reason === 'Conflict' || reason === 'Forbidden') return reason;
    if (reason === 'Invalid' || reason === 'BadRequest') return 'Invalid';
    if (reason === 'Unauthorized') return 'Unauthorized';
    if (SERVER_REASONS.has(reason)) return 'ServerError';
    return 'Other';
  }
  if (/^Error from server: /m.test(stderr) || /etcdserver: |the server is currently unable to handle the request|the server was unable to return a response/.test(stderr)) {
    return 'ServerError';
  }
  // Typed commands (kubectl create configmap …) print the API's message without its reason.
  if (/ is forbidden: /.test(stderr)) return 'Forbidden';
  if (/You must be logged in to the server|\(Unauthorized\)/.test(stderr)) return 'Unauthorized';
  if (/ is invalid(: |$)/m.test(stderr)) return 'Invalid';
  if (/Apply failed with \d+ conflicts?|the object has been modified; please apply your changes to the latest version/.test(stderr)) return 'Conflict';
  if (/connection to the server .* was refused|Unable to connect to the server|dial tcp|no such host|i\/o timeout|TLS handshake timeout|context deadline exceeded|connection reset by peer|EOF$/m.test(stderr)) {
    return 'Unreachable';
  }
  if (/current-context is not set|context was not found for specified context|no configuration has been provided|invalid configuration: no configuration/.test(stderr)) {
    return 'NoContext';
  }
  if (/the server doesn't have a resource type|resource mapping not found|no matches for kind/.test(stderr)) return 'UnknownKind';
  if (/ not found$/m.test(stderr) && /NotFound|\(NotFound\)/.test(stderr)) return 'NotFound';
  return 'Other';
}

// The `kubectl auth can-i …` that checks the permission a Forbidden error names, or undefined.
export function canICommand(stderr: string, kubeContext?: string): string | undefined {
  const match = /cannot (\w+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(stderr);
  if (!match) return undefined;
  const [, verb, resource, group, namespace] = match;
  const args = ['auth', 'can-i', verb, group ? `${resource}.${group}` : resource];
  if (namespace) args.push('-n', namespace);
  if (kubeContext) args.unshift('--context', kubeContext);
  return formatCommand('kubectl', args);
}

// The next step for a kind of failure; every kind has one.
export function kubectlHint(kind: KubectlErrorKind, stderr: string, kubeContext?: string): string {
  const contextFlag = kubeContext ? `--context ${kubeContext} ` : '';
  switch (kind) {
    case 'Unreachable':
      return `check the connection: kubectl ${contextFlag}cluster-info (VPN, credentials, the API server's address), then run the task again`;
    case 'ServerError':
      return `the API server failed to answer (a 5xx, or too many requests): wait a moment and run the task again; if it persists, check the API server's health (kubectl ${contextFlag}get --raw='/readyz?verbose')`;
    case 'Forbidden': {
      const canI = canICommand(stderr, kubeContext);
      return canI
        ? `your credentials lack this permission: check it with \`${canI}\` and ask for the RBAC role that grants it, or use a context that has it`
        : `your credentials lack this permission: check it with \`kubectl ${contextFlag}auth can-i <verb> <resource>\`, or use a context that has it`;
    }
    case 'Unauthorized':
      return `the cluster did not accept your credentials: log in again (refresh the token of context ${kubeContext ?? 'in use'}), then run the task again`;
    case 'Conflict':
      return 'the object changed on the cluster while this run worked on it: run the task again (it reads the object afresh)';
    case 'NoContext':
      return 'no usable kube context: list them with `kubectl config get-contexts`, then pass --context <name>';
    case 'UnknownKind':
      return 'the cluster does not know this kind: are the CRDs (e.g. Flux) installed? (`kubectl api-resources`)';
    case 'NotFound':
      return `the object does not exist on the cluster: check its name and namespace (kubectl ${contextFlag}get <kind> -A)`;
    case 'AlreadyExists':
      return 'the object already exists: apply instead of create, or delete it first';
    case 'Invalid':
      return 'the API server refused the object as invalid: fix the field named above and run the task again';
    case 'Other':
      return 'read kubectl\'s message above; run the command by hand with -v=6 to see the API requests';
  }
}
