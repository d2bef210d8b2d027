// The server's migrations, imported statically (no folder read at run time).
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_log.js';

export const serverMigrations: Record<string, Migration> = {
  '0001_log': m0001,
};
