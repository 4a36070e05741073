// Reads kubectl's error output: which API error it was (NotFound, Invalid, …) or whether the
// cluster could not be reached, so tasks can react to the kind of failure, not its wording.

export type KubectlErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Unreachable'
  | 'NoContext'
  | 'UnknownKind'
  | 'Other';

// Classifies kubectl stderr.
export function classifyKubectlError(stderr: string): KubectlErrorKind {
  const server = /Error from server \((\w+)\)/.exec(stderr);
  if (server) {
    const reason = server[1];
    if (reason === 'NotFound' || reason === 'AlreadyExists' || reason === 'Conflict' || reason === 'Forbidden') return reason;
    if (reason === 'Invalid' || reason === 'BadRequest') return 'Invalid';
    if (reason === 'Unauthorized') return 'Unauthorized';
    return 'Other';
  }
  if (/ is invalid: /.test(stderr)) return 'Invalid';
  if (/Apply failed with \d+ conflicts?/.test(stderr)) return 'Conflict';
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
