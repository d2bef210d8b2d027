// Ordered list of migrations, imported statically so every build (tsc, Electron package)
// carries them without reading a folder at run time.
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_lead_tags_change_author.js';
import * as m0003 from './0003_search_mid_name_pinyin.js';
import * as m0004 from './0004_open_task_indexes.js';
import * as m0005 from './0005_import_batches.js';
import * as m0006 from './0006_lead_merges.js';
import * as m0007 from './0007_lead_assignment.js';
import * as m0008 from './0008_report_indexes.js';
import * as m0009 from './0009_stage_stays.js';
import * as m0010 from './0010_activity_report_index.js';
import * as m0011 from './0011_sync_arrival.js';
import * as m0012 from './0012_sync_team.js';
import * as m0013 from './0013_import_keeps_everyone.js';
import * as m0014 from './0014_custom_fields.js';
import * as m0015 from './0015_lead_photos.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_lead_tags_change_author': m0002,
  '0003_search_mid_name_pinyin': m0003,
  '0004_open_task_indexes': m0004,
  '0005_import_batches': m0005,
  '0006_lead_merges': m0006,
  '0007_lead_assignment': m0007,
  '0008_report_indexes': m0008,
  '0009_stage_stays': m0009,
  '0010_activity_report_index': m0010,
  '0011_sync_arrival': m0011,
  '0012_sync_team': m0012,
  '0013_import_keeps_everyone': m0013,
  '0014_custom_fields': m0014,
  '0015_lead_photos': m0015,
};
