// What must never be committed from a session: a Secret in plain text, or a file that carries SOPS
// metadata but values that are not encrypted (decrypted in place and not re-encrypted).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObj } from '../gitops/yaml.ts';

export type SecretProblem = { file: string; problem: string };

// The problems in `files` (repo-relative; deleted and non-YAML files are skipped).
export function secretProblems(root: string, files: readonly string[]): SecretProblem[] {
  const problems: SecretProblem[] = [];
  for (const file of files) {
    if (!/\.ya?ml$/.test(file) || !existsSync(join(root, file))) continue;
    let docs: unknown[];
    try {
      docs = parseAllDocuments(readFileSync(join(root, file), 'utf8')).map((d) => d.toJS());
    } catch {
      continue;
    }
    for (const doc of docs) {
      if (!isObj(doc)) continue;
      const encrypted = isObj(doc.sops);
      if (encrypted && hasPlainValue(doc)) problems.push({ file, problem: 'has SOPS metadata but unencrypted values (decrypted and not encrypted again?)' });
      else if (!encrypted && doc.kind === 'Secret' && (isObj(doc.data) || isObj(doc.stringData))) {
        const name = isObj(doc.metadata) ? String(doc.metadata.name ?? '') : '';
        problems.push({ file, problem: `holds Secret ${name} in plain text` });
      }
    }
  }
  return problems;
}

// Whether a SOPS-managed document has a data value that is not ENC[…].
function hasPlainValue(doc: Record<string, unknown>): boolean {
  for (const key of ['data', 'stringData']) {
    const values = doc[key];
    if (isObj(values) && Object.values(values).some((v) => typeof v === 'string' && !v.startsWith('ENC['))) return true;
  }
  return false;
}

// The message for a refusal, one line per problem.
export function describeSecretProblems(problems: readonly SecretProblem[]): string {
  return problems.map((p) => `${p.file} ${p.problem}`).join('\n');
}
