// JSON exactly as Go's encoding/json Encoder writes it, and the last-applied-configuration
// annotation kubectl computes from a manifest (see docs: kubectl pkg/util/apply.go).

export const LAST_APPLIED_KEY = 'kubectl.kubernetes.io/last-applied-configuration';

// NOTE: JSON.stringify already escapes strings as Go does (\b \f \n \r \t, \u00xx for other controls,
// \" and \\) except for <, >, &, U+2028, U+2029 (Go escapes them) and lone surrogates (\udxxx, where Go
// writes \ufffd). Matching "\\" as a pair keeps the scan on escape boundaries, so "\\ud800" is left alone.
const GO_DIFFERENCES = /\\\\|\\ud[89a-f][0-9a-f]{2}|[<>&\u2028\u2029]/g;

// Go's json.Marshal with HTML escaping on: map keys sorted bytewise, no spaces, <>& and U+2028/U+2029
// as \u00XX/\u202X, lone surrogates as \ufffd. Only JSON values; integers only (a ConfigMap has no floats).
export function goJsonMarshal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`goJsonMarshal: ${value} is not an integer Go would print the same way`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${entries.map(([k, v]) => `${goQuote(k)}:${goJsonMarshal(v)}`).join(',')}}`;
  }
  throw new Error(`goJsonMarshal: cannot encode a ${typeof value}`);
}

// A Go-quoted JSON string (encoding/json appendString with escapeHTML).
export function goQuote(text: string): string {
  return JSON.stringify(text).replace(GO_DIFFERENCES, toGoEscape);
}

function toGoEscape(match: string): string {
  if (match === '\\\\') return match;
  if (match.length === 6) return '\\ufffd';
  return `\\u${match.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// The kubectl.kubernetes.io/last-applied-configuration value `kubectl apply` (client-side) computes
// for `manifest`: the object with that annotation removed, `annotations: {}` kept, Go-encoded, plus "\n".
// NOTE: kubectl ignores a pre-filled value and recomputes it, so this must match byte for byte.
export function lastAppliedConfiguration(manifest: Record<string, unknown>): string {
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  const annotations = { ...(isObject(metadata.annotations) ? metadata.annotations : {}) };
  delete annotations[LAST_APPLIED_KEY];
  return `${goJsonMarshal({ ...manifest, metadata: { ...metadata, annotations } })}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
