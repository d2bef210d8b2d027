import { parseArgs, type ParseArgsConfig } from 'node:util';
import { environmentVault } from '../api/keyVault.js';
import { RecoveryKeyError, type DatabaseKey } from '../store/cipher.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Taken by every command: --key-file names a file whose first line is the workspace key
 * (a recovery key or passphrase; LEADBOOK_KEY is the other way to give it). */
const commonOptions = {
  help: { type: 'boolean' },
  json: { type: 'boolean' },
  'key-file': { type: 'string' },
} as const;

/** Strict parsing: unknown flags and stray arguments are usage errors, not ignored. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, ...commonOptions },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError(
      (err as Error).message.split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, ''),
    );
  }
}

/** Like `parse`, with up to `max` positional arguments (a file to read). */
export function parseWithFiles<O extends Options>(argv: string[], options: O, max = 1) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, ...commonOptions },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(
      (err as Error).message.split('\n')[0]!.replace(/^TypeError \[[A-Z_]+\]: /, ''),
    );
  }
  if (parsed.positionals.length > max)
    throw new UsageError(`unexpected argument: ${parsed.positionals[max]}`);
  return { values: parsed.values, files: parsed.positionals };
}

export function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

export function choice<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  if (value === undefined) {
    if (fallback === undefined)
      throw new UsageError(`--${name} is required (${allowed.join('|')})`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${allowed.join('|')}`);
  return value as T;
}

export function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

/** The workspace key from --key-file or LEADBOOK_KEY (null: none given). */
export function cliKey(o: { 'key-file'?: string | undefined }): DatabaseKey | null {
  try {
    return environmentVault(process.env, o['key-file']).load('');
  } catch (err) {
    throw new UsageError(
      err instanceof RecoveryKeyError
        ? `the workspace key: ${err.message}`
        : `cannot read the key file: ${(err as Error).message}`,
    );
  }
}
