// A cluster's settings: clusters/<name>/settings.yaml, read by the tasks and never by Flux (the
// cluster's kustomization.yaml does not list it). Its usual kube context, its tier, and the
// GitHub repository `flux bootstrap github` uses. Checked with ajv; a bad value names file and field.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { TaskError } from '../core/errors.ts';
import { cachedValidator } from '../core/cache.ts';
import { parseYamlFile, type YamlFile } from '../gitops/yaml.ts';

export const TIERS = ['staging', 'production'] as const;
export type Tier = (typeof TIERS)[number];

export type ClusterSettings = {
  // The folder name: clusters/<name>.
  name: string;
  // Repo-relative path of the settings file.
  file: string;
  // The kube context the cluster is usually reached with.
  context: string;
  tier: Tier;
  github: { owner: string; repository: string; branch: string; personal: boolean };
};

// The settings file of a cluster, repo-relative.
export function settingsFile(cluster: string): string {
  return `clusters/${cluster}/settings.yaml`;
}

const name = { type: 'string', minLength: 1 };

export const SETTINGS_SCHEMA = {
  type: 'object',
  required: ['context', 'tier', 'github'],
  additionalProperties: false,
  properties: {
    context: name,
    tier: { type: 'string', enum: [...TIERS] },
    github: {
      type: 'object',
      required: ['owner', 'repository', 'branch', 'personal'],
      additionalProperties: false,
      properties: { owner: name, repository: name, branch: name, personal: { type: 'boolean' } },
    },
  },
} as const;

// The settings of clusters/<cluster> in the repository at `root`; a TaskError naming the file
// (and the field) when it is missing, not YAML, or has a bad value.
export function readClusterSettings(root: string, cluster: string): ClusterSettings {
  const file = settingsFile(cluster);
  if (!existsSync(join(root, 'clusters', cluster))) {
    throw new TaskError(`unknown cluster "${cluster}": there is no folder clusters/${cluster}`, { hint: `clusters are the folders of clusters/ (${listClusters(root).join(', ') || 'none'})` });
  }
  if (!existsSync(join(root, file))) {
    throw new TaskError(`${file} is missing`, { hint: MISSING_SETTINGS_HINT });
  }
  const parsed = parseYamlFile(file, readFileSync(join(root, file), 'utf8'));
  const problem = parsed.problems[0];
  if (problem) throw new TaskError(`${file}:${problem.line}:${problem.column}: ${problem.message}`, { hint: `fix the YAML of ${file}` });
  const value = settingsValue(parsed);
  const problems = settingsProblems(value);
  if (problems.length) {
    throw new TaskError(problems.map((p) => `${file}: ${p.message}`).join('\n'), { hint: fixSettingsHint(file) });
  }
  const settings = value as Omit<ClusterSettings, 'name' | 'file'>;
  return { name: cluster, file, context: settings.context, tier: settings.tier, github: { ...settings.github } };
}

// What to do about a settings file that is missing, or that has a bad value (the tasks' hints and validate's).
export const MISSING_SETTINGS_HINT = 'write it (context, tier, github: owner, repository, branch, personal), as clusters/*/settings.yaml of the other clusters shows';
export const fixSettingsHint = (file: string): string => `fix ${file} (tier is staging or production; github has owner, repository, branch and personal: true|false)`;

// The settings document of a parsed settings file: its one document (undefined for none or several).
export function settingsValue(parsed: Pick<YamlFile, 'documents'>): unknown {
  return parsed.documents.length === 1 ? parsed.documents[0].value : undefined;
}

// One thing wrong with a settings document: a sentence, and the path of the field it is about
// (the mapping holding it when the field is missing; empty for the whole document).
export type SettingsProblem = { message: string; path: string[] };

// What is wrong with a settings document, one problem per field (empty when it is valid).
export function settingsProblems(value: unknown): SettingsProblem[] {
  const validate = cachedValidator(SETTINGS_SCHEMA, { allErrors: true });
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeProblem);
}

function describeProblem(error: ErrorObject): SettingsProblem {
  const path = error.instancePath.split('/').slice(1);
  const field = path.join('.');
  const at = (key: string) => (field ? `${field}.${key}` : key);
  switch (error.keyword) {
    case 'required':
      return { message: `${at(String(error.params.missingProperty))} is missing`, path };
    case 'additionalProperties':
      return { message: `${at(String(error.params.additionalProperty))} is not a setting`, path: [...path, String(error.params.additionalProperty)] };
    case 'enum':
      return { message: `${field} must be one of ${(error.params.allowedValues as string[]).join(', ')}`, path };
    case 'type':
      return { message: field ? `${field} must be ${article(String(error.params.type))}` : 'the file must be a YAML mapping (context, tier, github)', path };
    case 'minLength':
      return { message: `${field} must not be empty`, path };
    default:
      return { message: `${field || 'the file'} ${error.message ?? 'is not valid'}`, path };
  }
}

function article(type: string): string {
  return type === 'object' ? 'a mapping' : type === 'integer' ? 'an integer' : `a ${type}`;
}

// The clusters of the repository: the folders of clusters/, sorted.
export function listClusters(root: string): string[] {
  const dir = join(root, 'clusters');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

// Whether a repo-relative file is a cluster's settings file (validate checks these as settings, never as manifests).
export function isClusterSettingsFile(file: string): boolean {
  return /^clusters\/[^/]+\/settings\.yaml$/.test(file);
}
