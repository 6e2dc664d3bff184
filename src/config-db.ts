import { z } from 'zod';
import { ConfigError } from './config-error.js';

/**
 * The database settings alone: tools such as the CSV import open the bot's database but have no business
 * requiring Slack tokens. The same rules as `loadConfig`'s (which can spread this shape to share them).
 */
export const databaseEnvShape = {
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    ),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
};

const databaseEnv = z.object(databaseEnvShape).transform((env) => ({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }));

export type DatabaseConfig = z.output<typeof databaseEnv>;

export function loadDatabaseConfig(env: Record<string, string | undefined>): DatabaseConfig {
  const result = databaseEnv.safeParse(env);
  if (result.success) return result.data;
  throw ConfigError.from(result.error);
}
