// Procedure name → use case. Inputs arrive already validated by the router.
import {
  crudEntities,
  type CrudEntity,
  type ProcName,
  type ProcOutput,
  type ProcParsedInput,
} from '../contract/index.js';
import { agenda, snoozeTask } from '../services/activities.js';
import { recentConflicts, resolveConflict } from '../services/conflicts.js';
import {
  readAssignmentConfig,
  tryAssignment,
  updateAssignmentConfig,
} from '../services/assignment.js';
import { appStatus, loadDemo, startEmpty } from '../services/app.js';
import { convertLead, leadConversionCandidates } from '../services/conversion.js';
import { parseBadgePayload, parseContactText } from '../domain/contactText.js';
import { readDevice, updateDevice } from '../services/device.js';
import { findDuplicates } from '../services/duplicates.js';
import { exportEntity, exportForDownload } from '../services/exportData.js';
import { ImportJobs } from '../services/importJobs.js';
import { CardReader } from '../services/cardReader.js';
import { cardPhotoOf, setCardPhoto } from '../services/leadPhotos.js';
import { SearchIndexJobs } from '../services/searchIndexJobs.js';
import { RescoreJobs } from '../services/rescoreJobs.js';
import {
  importLeads,
  importProblems,
  listImports,
  previewImport,
  undoImport,
} from '../services/importLeads.js';
import { bulkSetLeadsDeleted, bulkUpdateLeads, reassignLeads } from '../services/leadBulk.js';
import { captureLead } from '../services/leads.js';
import {
  deleteCustomField,
  saveCustomField,
  setLeadCustomValues,
} from '../services/customFields.js';
import { customValuesOf, listCustomFields } from '../services/customValues.js';
import { keyFromLabel } from '../domain/customFields.js';
import {
  dismissDuplicates,
  duplicateGroups,
  mergeLeads,
  undoMerge,
} from '../services/leadMerge.js';
import {
  cycleReport,
  funnelReport,
  repActivityReport,
  sourcesReport,
  winRatesReport,
} from '../services/analytics.js';
import { dashboardReport } from '../services/dashboard.js';
import { forecastReport } from '../services/forecast.js';
import { listTargets, setTarget } from '../services/targets.js';
import {
  createOpportunity,
  opportunityDetail,
  opportunityHistory,
} from '../services/opportunities.js';
import { createRecord, listRecords, setDeleted, updateRecord } from '../services/records.js';
import { getRecord } from '../services/recordRows.js';
import {
  leadScoreBreakdown,
  rebuildModelAndRescore,
  readScoringConfig,
  scoringReport,
  tryScoring,
  updateScoringConfig,
} from '../services/scoring.js';
import { searchAll } from '../services/search.js';
import { removeStage, saveStages } from '../services/stages.js';
import { board, moveOpportunity } from '../services/pipeline.js';
import { readTeamSettings, updateTeamSettings } from '../services/settings.js';
import { leadTimeline, opportunityTimeline } from '../services/timeline.js';
import type { Store } from '../store/store.js';
import { Backups as BackupsService, type Backups } from '../services/backups.js';
import { HubController } from './hub.js';
import { SyncController } from './sync.js';
import { storeOnlyWorkspace, type WorkspaceControl } from './workspaceControl.js';

/** A use case answers at once (one synchronous transaction) or, when it must first read
 * something asynchronously (a workbook), with a promise. */
export type Handler<P extends ProcName> = (
  input: ProcParsedInput<P>,
) => ProcOutput<P> | Promise<ProcOutput<P>>;
export type Handlers = { [P in ProcName]: Handler<P> };
type LooseHandlers = Record<string, (input: never) => unknown>;

function crudHandlers(store: Store): LooseHandlers {
  const out: LooseHandlers = {};
  for (const entity of Object.keys(crudEntities) as CrudEntity[]) {
    out[`${entity}.create`] = (input: Record<string, unknown>) =>
      createRecord(store, entity, input);
    out[`${entity}.update`] = (input: { id: string; patch: Record<string, unknown> }) =>
      updateRecord(store, entity, input.id, input.patch);
    out[`${entity}.delete`] = (input: { id: string }) => setDeleted(store, entity, input.id, true);
    out[`${entity}.restore`] = (input: { id: string }) =>
      setDeleted(store, entity, input.id, false);
    out[`${entity}.get`] = (input: { id: string }) =>
      store.read((r) => getRecord(r, entity, input.id));
    out[`${entity}.list`] = (input: ProcParsedInput<'leads.list'>) =>
      listRecords(store, entity, input);
  }
  return out;
}

const fromBase64 = (content: string) => Buffer.from(content, 'base64');

function importOptions(input: Omit<ProcParsedInput<'imports.run'>, 'content'>) {
  return {
    fileName: input.fileName,
    ...(input.mapping ? { mapping: input.mapping } : {}),
    ...(input.values ? { values: input.values } : {}),
    onDuplicate: input.onDuplicate,
    ...(input.rowActions ? { rowActions: input.rowActions } : {}),
    allOrNothing: input.allOrNothing,
  };
}

export function createHandlers(
  store: Store,
  jobs: ImportJobs = new ImportJobs(store),
  rescore: RescoreJobs = new RescoreJobs(store),
  sync: SyncController = new SyncController(store, rescore, false),
  hub: HubController = new HubController(store, sync, `${store.path}.hub`, false),
  backups: Backups = new BackupsService(store),
  workspace: WorkspaceControl = storeOnlyWorkspace(store),
  searchIndex: SearchIndexJobs = new SearchIndexJobs(store),
  cards: CardReader = new CardReader(),
): Handlers {
  const specific: Partial<Handlers> = {
    'opportunities.history': (input) => store.read((r) => opportunityHistory(r, input.id)),
    'opportunities.timeline': (input) => store.read((r) => opportunityTimeline(r, input.id)),
    'opportunities.createDirect': (input) => createOpportunity(store, input),
    'reports.funnel': (input) => store.read((r) => funnelReport(r, input)),
    'reports.sources': (input) => store.read((r) => sourcesReport(r, input)),
    'reports.winRates': (input) => store.read((r) => winRatesReport(r, input)),
    'reports.cycle': (input) => store.read((r) => cycleReport(r, input)),
    'reports.repActivity': (input) => store.read((r) => repActivityReport(r, input, Date.now())),
    'reports.forecast': (input) => store.read((r) => forecastReport(r, input, Date.now())),
    'reports.dashboard': (input) => store.read((r) => dashboardReport(r, input, Date.now())),
    'targets.list': (input) => store.read((r) => listTargets(r, input.periods)),
    'targets.set': (input) => setTarget(store, input),
    'opportunities.detail': (input) =>
      store.read((r) => opportunityDetail(r, input.id, Date.now())),
    'leads.create': (input) => captureLead(store, input),
    'leads.reassign': (input) => reassignLeads(store, input.ids),
    'leads.conversionCandidates': (input) =>
      store.read((r) => leadConversionCandidates(r, input.id)),
    'leads.convert': (input) => convertLead(store, input),
    'stages.saveAll': (input) => saveStages(store, input),
    'opportunities.board': (input) => store.read((r) => board(r, input, Date.now())),
    'opportunities.move': (input) => moveOpportunity(store, input),
    'stages.remove': (input) => removeStage(store, input),
    'assignment.getConfig': () => store.read((r) => readAssignmentConfig(r)),
    'assignment.updateConfig': (input) => updateAssignmentConfig(store, input),
    'assignment.test': (input) =>
      store.read((r) => tryAssignment(r, input.config, input.lead, Date.now())),
    'scoring.test': (input) => store.read((r) => tryScoring(r, input.config, input.lead)),
    'scoring.report': () => store.read((r) => scoringReport(r)),
    'leads.duplicates': (input) => store.read((r) => findDuplicates(r, input)),
    'leads.bulkUpdate': (input) => bulkUpdateLeads(store, input.ids, input.patch),
    'leads.bulkDelete': (input) => bulkSetLeadsDeleted(store, input.ids, true),
    'leads.bulkRestore': (input) => bulkSetLeadsDeleted(store, input.ids, false),
    'leads.export': (input) => exportEntity(store, 'leads', input.format, input.ids),
    'leads.duplicateGroups': (input) => store.read((r) => duplicateGroups(r, input.limit)),
    'leads.merge': (input) => mergeLeads(store, input),
    'leads.unmerge': (input) => undoMerge(store, input.id),
    'leads.dismissDuplicates': (input) => dismissDuplicates(store, input.ids),
    'customFields.list': () => store.read((r) => [...listCustomFields(r)]),
    'customFields.save': (input) =>
      saveCustomField(store, { ...input, key: input.key ?? keyFromLabel(input.label) }),
    'customFields.delete': (input) => deleteCustomField(store, input.id),
    'leads.customValues': (input) =>
      store.read((r) => {
        getRecord(r, 'leads', input.id);
        return customValuesOf(r, [input.id]).get(input.id) ?? {};
      }),
    'leads.setCustom': (input) => setLeadCustomValues(store, input.id, input.values),
    'leads.parseText': (input) =>
      input.from === 'badge' ? parseBadgePayload(input.text) : parseContactText(input.text),
    'leads.readCard': (input) => cards.read(Buffer.from(input.image, 'base64')),
    'leads.setCardPhoto': (input) =>
      setCardPhoto(store, input.id, Buffer.from(input.image, 'base64')),
    'leads.cardPhoto': (input) => store.read((r) => cardPhotoOf(r, input.id)),
    'leads.timeline': (input) => store.read((r) => leadTimeline(r, input.id)),
    'data.export': (input) => exportForDownload(store, input),
    'scoring.getConfig': () => store.read((r) => readScoringConfig(r)),
    'leads.score': (input) => store.read((r) => leadScoreBreakdown(r, input.id)),
    'scoring.updateConfig': (input) => updateScoringConfig(store, input, rescore),
    'scoring.rebuildModel': () => rebuildModelAndRescore(store, rescore),
    'scoring.rescoreState': () => rescore.state(),
    'search.indexState': () => searchIndex.state(),
    'imports.preview': (input) =>
      previewImport(store, fromBase64(input.content), importOptions(input)),
    'imports.run': (input) =>
      importLeads(store, fromBase64(input.content), { ...importOptions(input), dryRun: false }),
    'imports.list': () => store.read((r) => listImports(r)),
    'imports.start': (input) =>
      jobs.start(
        input.preview ? 'preview' : 'run',
        input.upload ? { upload: input.upload } : { bytes: fromBase64(input.content ?? '') },
        importOptions(input),
      ),
    'imports.upload': (input) => jobs.upload(input.id, input.offset, fromBase64(input.chunk)),
    'imports.job': (input) => jobs.get(input.id),
    'imports.cancel': (input) => jobs.cancel(input.id),
    'imports.undo': (input) => undoImport(store, input.id),
    'imports.problems': (input) => store.read((r) => importProblems(r, input.id)),
    'device.get': () => readDevice(store),
    'device.update': (input) => updateDevice(store, input),
    'activities.agenda': (input) => store.read((r) => agenda(r, input)),
    'activities.snooze': (input) => snoozeTask(store, input.id, input.days),
    'search.all': (input) => store.read((r) => searchAll(r, input.q, input.limit)),
    'settings.get': () => store.read((r) => readTeamSettings(r)),
    'settings.update': (input) => updateTeamSettings(store, input),
    'sync.status': () => sync.status(),
    'sync.connect': (input) => sync.connect(input),
    'sync.disconnect': (input) => sync.disconnect(input.peerId),
    'sync.join': (input) => sync.join(input.link, input.name),
    'sync.forms': (input) => sync.forms(input.peerId),
    'sync.createForm': ({ peerId, ...input }) => sync.createForm(input, peerId),
    'sync.revokeForm': (input) => sync.revokeForm(input.key, input.peerId),
    'sync.conflicts': () => store.read((r) => recentConflicts(r)),
    'sync.resolveConflict': (input) => resolveConflict(store, input.id, input.keep),
    'sync.fileStatus': () => sync.fileStatus(),
    'sync.fileExport': (input) => sync.fileExport(input.everything),
    'sync.fileImport': (input) => sync.fileImport(fromBase64(input.content)),
    'sync.filePairLink': () => sync.filePairLink(),
    'hub.status': () => hub.status(),
    'hub.start': (input) => hub.start(input),
    'hub.stop': () => hub.stop(),
    'hub.invite': (input) => hub.invite(input),
    'hub.devices': () => hub.devices(),
    'hub.revoke': (input) => hub.revoke(input.deviceId),
    'sync.invite': (input) => sync.invite(input),
    'sync.devices': (input) => sync.devices(input.peerId),
    'sync.revoke': (input) => sync.revoke(input.deviceId, input.peerId),
    'sync.now': () => sync.now(),
    'app.status': () => appStatus(store),
    'app.startEmpty': () => startEmpty(store),
    'app.loadDemo': (input) => loadDemo(store, input),
    'workspace.status': () => workspace.status(),
    'workspace.unlock': () => workspace.status(),
    'workspace.encrypt': () => workspace.encrypt(backups.folder()),
    'workspace.recoveryKey': () => workspace.recoveryKey(),
    'backups.list': () => backups.list(),
    'backups.create': () => backups.create('manual'),
    'backups.preview': (input) => backups.preview(input.name),
    'backups.restore': (input) =>
      workspace.restore(backups.fileOf(input.name).file, backups.folder()),
    'backups.setFolder': (input) => {
      backups.setFolder(input.folder);
      return backups.list();
    },
  };
  return { ...crudHandlers(store), ...specific } as Handlers;
}
