// The one kysely `Database` type: synced tables take their row types from the contract's
// entity schemas, local tables are declared here next to the migrations that create them.
import type { Generated } from 'kysely';
import type {
  AccountRow,
  ActivityRow,
  AssignmentRuleRow,
  CampaignRow,
  ContactRow,
  LeadRow,
  OpportunityRow,
  SavedViewRow,
  ScoringRuleRow,
  SettingRow,
  DuplicateDismissalRow,
  CustomFieldRow,
  CustomValueRow,
  StageHistoryRow,
  StageRow,
  TargetRow,
  UserRow,
} from '../contract/index.js';

export interface MetaTable {
  key: string;
  value: string;
}
export interface ChangeLogTable {
  hlc: string;
  tbl: string;
  row_id: string;
  fields: string;
  origin: 'local' | 'remote';
  author: string | null;
  /** Order of arrival in this file (migration 0011). */
  seq: number;
  /** The sync peer it was received from; null when written here. */
  via: string | null;
}
/** A sync server this device talks to (local only: holds this device's token). */
export interface SyncPeerTable {
  id: string;
  url: string;
  token: string;
  active: number;
  workspace_id: string | null;
  workspace_name: string | null;
  user_id: string | null;
  user_name: string | null;
  epoch: string | null;
  push_seq: number;
  pushed_seq: number | null;
  pushed_hlc: string | null;
  pull_seq: number;
  pull_hlc: string | null;
  sent: number;
  received: number;
  last_synced_at: number | null;
  created_at: number;
  kind: string;
  fingerprint: string | null;
  role: string | null;
  device_id: string | null;
  server_node: string | null;
}
export interface SyncRefusedTable {
  peer_id: string;
  hlc: string;
  reason: string;
  at: number;
}
export interface SyncPushTable {
  peer_id: string;
  seq: number;
  at: number;
}
export interface FilePeerTable {
  node_id: string;
  name: string | null;
  received: number;
  confirmed: number;
  last_file_at: number | null;
}
export interface SyncConflictTable {
  id: Generated<number>;
  tbl: string;
  row_id: string;
  col: string;
  /** JSON of the value (so null and '' stay apart). */
  mine_value: string | null;
  mine_hlc: string;
  mine_author: string | null;
  theirs_value: string | null;
  theirs_hlc: string;
  theirs_author: string | null;
  theirs_device: string | null;
  winner: 'mine' | 'theirs';
  at: number;
  resolved_at: number | null;
}
export interface PendingChangeTable {
  hlc: string;
  tbl: string;
  row_id: string;
  col: string;
  value: string | null;
}
export interface ImportBatchTable {
  id: string;
  file: string;
  imported_at: number;
  encoding: string;
  delimiter: string;
  mapping: string;
  counts: string;
  undone_at: number | null;
  /** Warned and rejected rows as JSON (migration 0013); null before it. */
  problems: string | null;
}
/** A business card's photo a lead was read from (local to the laptop that scanned it). */
export interface LeadPhotoTable {
  lead_id: string;
  mime: string;
  image: Uint8Array;
  width: number;
  height: number;
  taken_at: number;
}
export interface ImportBatchLeadTable {
  batch_id: string;
  row: number;
  lead_id: string;
  action: 'created' | 'merged';
  before: string | null;
  after: string | null;
}
export interface LeadMergeTable {
  id: string;
  survivor_id: string;
  merged_ids: string;
  before: string;
  after: string;
  moved_activities: string;
  merged_at: number;
  undone_at: number | null;
}
/** search_<entity>: a contentless FTS5 table keyed by the entity row's rowid. */
export interface SearchFtsTable {
  rowid: number;
  body: string;
  han1: string;
  pinyin: string;
  pinyin_mid: string;
  rank: number;
}

export interface Database {
  users: UserRow;
  campaigns: CampaignRow;
  accounts: AccountRow;
  contacts: ContactRow;
  leads: LeadRow;
  stages: StageRow;
  opportunities: OpportunityRow;
  stage_history: StageHistoryRow;
  activities: ActivityRow;
  assignment_rules: AssignmentRuleRow;
  scoring_rules: ScoringRuleRow;
  targets: TargetRow;
  saved_views: SavedViewRow;
  settings: SettingRow;
  duplicate_dismissals: DuplicateDismissalRow;
  custom_fields: CustomFieldRow;
  custom_values: CustomValueRow;
  meta: MetaTable;
  change_log: ChangeLogTable;
  pending_changes: PendingChangeTable;
  import_batches: ImportBatchTable;
  import_batch_leads: ImportBatchLeadTable;
  lead_photos: LeadPhotoTable;
  lead_merges: LeadMergeTable;
  sync_peers: SyncPeerTable;
  sync_refused: SyncRefusedTable;
  sync_pushes: SyncPushTable;
  file_peers: FilePeerTable;
  sync_conflicts: SyncConflictTable;
  search_leads: SearchFtsTable;
  search_contacts: SearchFtsTable;
  search_accounts: SearchFtsTable;
  search_opportunities: SearchFtsTable;
}
