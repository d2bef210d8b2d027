// The server's tables as kysely sees them (written by hand beside the migrations).
export interface WorkspaceTable {
  id: string;
  name: string;
  epoch: string;
  head: number;
  created_at: number;
  node_id: string | null;
  /** The last HLC the server stamped (entries it writes itself). */
  clock: string | null;
  /** Signs `.leadbook-sync` files between members' laptops (base64url, 256 bits). */
  file_key: string | null;
}
export interface MemberTable {
  id: string;
  workspace_id: string;
  name: string;
  role: string;
  created_at: number;
}
export interface DeviceTable {
  id: string;
  workspace_id: string;
  member_id: string;
  token_hash: string;
  label: string | null;
  node_id: string | null;
  app_version: string | null;
  created_at: number;
  last_seen_at: number | null;
  revoked_at: number | null;
  waiting: number | null;
}
export interface InviteTable {
  id: string;
  workspace_id: string;
  code_hash: string;
  name: string | null;
  role: string;
  member_id: string | null;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  device_id: string | null;
}
export interface FormKeyTable {
  id: string;
  workspace_id: string;
  name: string;
  source: string | null;
  campaign_id: string | null;
  redirect_url: string | null;
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
  received: number;
}
export interface EntryTable {
  workspace_id: string;
  seq: number;
  hlc: string;
  tbl: string;
  row_id: string;
  /** JSON object of column → value, relayed as written: the server never reads it. */
  fields: string;
  author: string | null;
  device_id: string;
  received_at: number;
}
export interface ServerDb {
  workspaces: WorkspaceTable;
  members: MemberTable;
  devices: DeviceTable;
  entries: EntryTable;
  invites: InviteTable;
  form_keys: FormKeyTable;
}
