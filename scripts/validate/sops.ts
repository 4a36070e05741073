// Whether a Secret's values are SOPS ciphertext: the values sops's rules say it encrypts must be
// `ENC[…]`, in a Secret with `sops` metadata and in one kustomize generated from sops-encrypted files
// (kustomize-controller decrypts those before it builds, so the build holds base64 of the ciphertext).
// NOTE: never return or print a value: these are secrets.
import { isObj, type Obj } from '../gitops/yaml.ts';

// One encrypted value as sops writes it (an empty string too: `data:,`).
export const SOPS_CIPHERTEXT = /^ENC\[AES256_GCM,data:[^\]]*,type:\w+\]$/;
// A whole sops-encrypted file (a secretGenerator `files:` entry): its MAC, as YAML, JSON or dotenv/ini writes it.
const SOPS_FILE_MAC = /\bmac["']?\s*[:=]\s*["']?ENC\[AES256_GCM,/;

// What sops leaves in plain text, from a file's `sops` metadata. sops allows one of the four; without
// any, keys ending with `_unencrypted` stay plain.
type SopsRules = { unencryptedSuffix?: string; encryptedSuffix?: string; unencryptedRegex?: RegExp; encryptedRegex?: RegExp };

// A value left in plain text where sops would have encrypted it (its key only, never the value);
// `generated` when the Secret came from a secretGenerator (its line is not the value's).
export type PlainValue = { field: 'data' | 'stringData'; key: string; generated: boolean };

// The values of a sops-managed Secret that are not ciphertext although sops's rules encrypt them;
// `undefined` when the Secret is not sops-managed (neither `sops` metadata nor a generated `sops_mac`).
export function plainSopsValues(doc: Obj): PlainValue[] | undefined {
  if (isObj(doc.sops)) {
    const rules = sopsRules(doc.sops);
    if (!rules) return [];
    // sops matches every key on the way from the document root: `data`/`stringData`, then the value's key.
    return (['data', 'stringData'] as const).flatMap((field) => {
      const values = doc[field];
      return Object.entries(isObj(values) ? values : {})
        .filter(([key, value]) => value !== null && encrypts(rules, [field, key]) && !(typeof value === 'string' && SOPS_CIPHERTEXT.test(value)))
        .map(([key]) => ({ field, key, generated: false }));
    });
  }
  return generatedPlainValues(doc);
}

// A Secret kustomize generated from a sops-encrypted dotenv (`envs:`) holds each line base64-encoded:
// the values, and sops's metadata as `sops_*` keys (`sops_mac`, `sops_version`, `sops_unencrypted_suffix`…).
// A value that decodes to a whole sops-encrypted file (`files:`) is encrypted as a whole.
function generatedPlainValues(doc: Obj): PlainValue[] | undefined {
  const data = isObj(doc.data) ? doc.data : {};
  const decoded = Object.entries(data).map(([key, value]) => [key, typeof value === 'string' ? decodeBase64(value) : undefined] as const);
  const isFile = (text: string | undefined) => text !== undefined && SOPS_FILE_MAC.test(text);
  const mac = decoded.find(([key]) => key === 'sops_mac')?.[1];
  const isCiphertext = (text: string | undefined) => text !== undefined && SOPS_CIPHERTEXT.test(text);
  if (mac === undefined || !isCiphertext(mac)) {
    return decoded.length > 0 && decoded.every(([, text]) => isCiphertext(text) || isFile(text)) ? [] : undefined;
  }
  const meta = Object.fromEntries(decoded.filter(([key]) => key.startsWith('sops_')).map(([key, text]) => [key.slice('sops_'.length), text]));
  const rules = sopsRules(meta);
  if (!rules) return [];
  return decoded
    .filter(([key, text]) => !key.startsWith('sops_') && encrypts(rules, [key]) && !isCiphertext(text) && !isFile(text))
    .map(([key]) => ({ field: 'data' as const, key, generated: true }));
}

// `undefined` for a regex JavaScript cannot read (sops uses Go's syntax): nothing can be said then.
function sopsRules(meta: Obj): SopsRules | undefined {
  const text = (key: string) => (typeof meta[key] === 'string' && meta[key] !== '' ? (meta[key] as string) : undefined);
  const unencryptedRegex = goRegex(text('unencrypted_regex'));
  const encryptedRegex = goRegex(text('encrypted_regex'));
  if (unencryptedRegex === null || encryptedRegex === null) return undefined;
  const encryptedSuffix = text('encrypted_suffix');
  const configured = unencryptedRegex ?? encryptedRegex ?? encryptedSuffix;
  return { unencryptedSuffix: text('unencrypted_suffix') ?? (configured ? undefined : '_unencrypted'), encryptedSuffix, unencryptedRegex, encryptedRegex };
}

// Whether sops encrypts the value at `path` (the keys from the document root), as its tree walk decides:
// one key of the path matching a rule decides for everything below it.
function encrypts(rules: SopsRules, path: readonly string[]): boolean {
  const { unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex } = rules;
  if (unencryptedSuffix !== undefined && path.some((key) => key.endsWith(unencryptedSuffix))) return false;
  if (encryptedSuffix !== undefined && !path.some((key) => key.endsWith(encryptedSuffix))) return false;
  if (unencryptedRegex && path.some((key) => unencryptedRegex.test(key))) return false;
  if (encryptedRegex && !path.some((key) => encryptedRegex.test(key))) return false;
  return true;
}

// A Go regular expression in JavaScript: undefined when unset, null when JavaScript cannot read it.
function goRegex(source: string | undefined): RegExp | undefined | null {
  if (source === undefined) return undefined;
  const caseless = source.startsWith('(?i)');
  try {
    return new RegExp(caseless ? source.slice(4) : source, caseless ? 'i' : '');
  } catch {
    return null;
  }
}

function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : undefined;
}
