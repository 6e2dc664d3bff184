import type { z } from 'zod';

/** A bad environment: one line per problem, naming the variable, never echoing a secret's value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  static from(error: z.ZodError): ConfigError {
    return new ConfigError(error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
}
