import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict parsing: unknown flags and stray arguments are usage errors, not ignored. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean' }, json: { type: 'boolean' } },
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
      options: { ...options, help: { type: 'boolean' }, json: { type: 'boolean' } },
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
