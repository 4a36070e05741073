// JSON exactly as Go's encoding/json Encoder writes it, and the last-applied-configuration
// annotation kubectl computes from a manifest (see docs: kubectl pkg/util/apply.go).

export const LAST_APPLIED_KEY = 'kubectl.kubernetes.io/last-applied-configuration';

const HEX = '0123456789abcdef';
const SHORT_ESCAPES: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\' };

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
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (SHORT_ESCAPES[c]) out += SHORT_ESCAPES[c];
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26) out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u202${HEX[c & 15]}`;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) out += text[i] + text[++i];
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += text[i];
  }
  return out + '"';
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
