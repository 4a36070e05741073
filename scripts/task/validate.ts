// Checks raw arguments against a task's declaration with ajv: types (integers coerced from
// text), choices, required arguments, defaults filled in. Loaded only when a task really runs, so
// --help and the index stay fast; the validator itself comes compiled from the schema cache.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { UsageError } from '../core/errors.ts';
import { cachedValidator } from '../core/cache.ts';
import { flagName, type AnyRunnable, type ArgumentSpec, type OptionSpec } from './define.ts';
import { allOptions, type RawArguments } from './parse-args.ts';

// The JSON Schema of a task's options object (positional arguments included by name).
export function optionsSchema(task: AnyRunnable): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const arg of (task.arguments ?? []) as readonly ArgumentSpec[]) {
    const value = { type: 'string', minLength: 1, ...(arg.choices ? { enum: [...arg.choices] } : {}) };
    properties[arg.name] = arg.variadic ? { type: 'array', items: value, ...(arg.required ? { minItems: 1 } : {}), default: [] } : value;
    if (arg.required) required.push(arg.name);
  }
  for (const [key, spec] of Object.entries(allOptions(task))) properties[key] = propertySchema(spec);
  return { type: 'object', properties, required, additionalProperties: false };
}

function propertySchema(spec: OptionSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'boolean':
      return { type: 'boolean', default: spec.default ?? false };
    case 'integer':
      return {
        type: 'integer',
        ...(spec.minimum === undefined ? {} : { minimum: spec.minimum }),
        ...(spec.default === undefined ? {} : { default: spec.default }),
      };
    case 'string': {
      const value = { type: 'string', ...(spec.choices ? { enum: [...spec.choices] } : {}) };
      if (spec.multiple) return { type: 'array', items: value, default: [] };
      return { ...value, ...(spec.default === undefined ? {} : { default: spec.default }) };
    }
  }
}

const compiled = new WeakMap<object, ValidateFunction>();

function compile(task: AnyRunnable): ValidateFunction {
  let validate = compiled.get(task);
  if (!validate) {
    validate = cachedValidator(optionsSchema(task), { allErrors: true, coerceTypes: true, useDefaults: true, strict: true });
    compiled.set(task, validate);
  }
  return validate;
}

// Validates and completes raw arguments into the options object, or throws a UsageError that
// names every problem in terms of flags and arguments.
export function validateArgs(task: AnyRunnable, raw: RawArguments): Record<string, unknown> {
  const args = (task.arguments ?? []) as readonly ArgumentSpec[];
  const variadic = args.at(-1)?.variadic === true;
  if (raw.positionals.length > args.length && !variadic) {
    const extra = raw.positionals.slice(args.length).map((p) => `"${p}"`).join(', ');
    throw new UsageError(`unexpected argument${raw.positionals.length - args.length > 1 ? 's' : ''} ${extra}`);
  }
  const data: Record<string, unknown> = { ...raw.values, ...positionalValues(args, raw.positionals) };
  const validate = compile(task);
  if (!validate(data)) throw new UsageError((validate.errors ?? []).map((e) => describeError(task, e)).join('\n'));
  return data;
}

// Positional values by argument name; a variadic last argument takes the rest as a list.
export function positionalValues(args: readonly ArgumentSpec[], positionals: readonly string[]): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  args.forEach((arg, i) => {
    if (arg.variadic) {
      if (i < positionals.length) values[arg.name] = positionals.slice(i);
    } else if (i < positionals.length) {
      values[arg.name] = positionals[i];
    }
  });
  return values;
}

function describeError(task: AnyRunnable, error: ErrorObject): string {
  const key = error.instancePath.slice(1).replace(/\/\d+$/, '') || String(error.params.missingProperty ?? '');
  const isArgument = ((task.arguments ?? []) as readonly ArgumentSpec[]).some((a) => a.name === key);
  const label = isArgument ? `<${key}>` : flagName(key);
  switch (error.keyword) {
    case 'required':
      return `missing argument <${key}>`;
    case 'enum':
      return `${label} must be one of: ${(error.params.allowedValues as string[]).join(', ')}`;
    case 'type':
      return `${label} must be ${error.params.type === 'integer' ? 'a whole number' : `a ${error.params.type}`}`;
    case 'minimum':
      return `${label} must be at least ${error.params.limit}`;
    case 'minLength':
      return `${label} must not be empty`;
    case 'minItems':
      return `missing argument <${key}>`;
    default:
      return `${label} ${error.message ?? 'is invalid'}`;
  }
}
