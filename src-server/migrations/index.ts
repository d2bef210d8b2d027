// The server's migrations, imported statically (no folder read at run time).
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_log.js';
import * as m0002 from './0002_team.js';

export const serverMigrations: Record<string, Migration> = {
  '0001_log': m0001,
  '0002_team': m0002,
};
