import { readAsBase64, uploadInChunks } from '../../components/fileBytes.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiError,
  duplicatePolicies,
  importFields,
  type ColumnTarget,
  type DuplicatePolicy,
  type ImportPreview,
  type ImportRejection,
  type ImportReport,
  type ValueMappings,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useCustomFields } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText, issueText } from '../../components/errors.js';
import i18n from '../../i18n/index.js';
import { formatDateTime, formatNumber, formatPercent } from '../../components/format.js';
import { downloadText } from '../../components/download.js';
import { Page } from '../../components/Page.js';
import { SourceSelect, StatusSelect } from '../../components/pickers.js';
import { ImportProgress } from './ImportProgress.js';
import { useImportJob } from './useImportJob.js';

/** Files bigger than this are sent in chunks (imports.upload) and imported from disk a
 * batch at a time; smaller ones travel whole, as one call. */
const UPLOAD_FROM_BYTES = 32 * 1024 * 1024;

interface PickedFile {
  name: string;
  /** The file whole, in base64 — or the upload it was sent as. */
  source: { content: string } | { upload: string };
  /** Which pick this is: the same file picked again (perhaps edited) is read again. */
  pick: number;
}

const MAX_LISTED = 50;
const MAX_MARKERS = 6;

/** What the preview says was done → the choice that does it. */
const policyOf = { skipped: 'skip', created: 'create', merged: 'merge', updated: 'merge' } as const;

/** Why a row was rejected, in the UI language. */
function rejectionText(r: ImportRejection): string {
  switch (r.kind) {
    case 'no_identity':
      return i18n.t('imports.noIdentity');
    case 'cells':
      return i18n.t('imports.tooManyCells', { cells: r.cells, columns: r.columns });
    case 'field':
      return `${i18n.t(`fields.${r.field ?? ''}`, { defaultValue: r.field })}: ${r.issue ? issueText(r.issue) : r.reason}`;
  }
}

/** Import leads from a file: pick it, check the mapping and the preview (rejected rows,
 * duplicates), import, and undo a whole batch from the history. */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const setPage = useUi((s) => s.setPage);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [mapping, setMapping] = useState<ColumnTarget[] | null>(null);
  const [onDuplicate, setOnDuplicate] = useState<DuplicatePolicy>('merge');
  // The report of the import just done: what to act on (problem rows, possible duplicates).
  const [done, setDone] = useState<ImportReport | null>(null);
  const [values, setValues] = useState<ValueMappings>({});
  // The user's choice for single duplicate rows, over the file-wide policy.
  const [rowActions, setRowActions] = useState<Record<string, DuplicatePolicy>>({});
  const [readError, setReadError] = useState(false);
  // A big file on its way (sent in chunks): the share sent so far.
  const [sending, setSending] = useState<number | null>(null);

  const input = file && {
    fileName: file.name,
    ...file.source,
    onDuplicate,
    ...(mapping ? { mapping } : {}),
    ...(values.status || values.source ? { values } : {}),
    ...(Object.keys(rowActions).length ? { rowActions } : {}),
  };
  // The preview (a dry run) and the import itself run in the background: a 100 000-row
  // file takes a while, and the app stays usable meanwhile.
  const previewJob = useImportJob('preview');
  const runJob = useImportJob('run');
  const previewKey = JSON.stringify([file?.pick, mapping, onDuplicate, values, rowActions]);
  const [lastPreview, setLastPreview] = useState<ImportPreview | undefined>(undefined);
  useEffect(() => {
    if (!input) return;
    void previewJob.start({ ...input, preview: true });
    // Only a new file or a changed choice starts a new preview.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [previewKey]);
  const previewState = previewJob.state;
  useEffect(() => {
    if (previewState?.preview) setLastPreview(previewState.preview);
  }, [previewState?.preview]);
  const runState = runJob.state;
  useEffect(() => {
    if (!runState) return;
    if (runState.phase === 'cancelled') {
      showToast(t('imports.cancelled'));
      runJob.reset();
    }
    const r = runState.report;
    if (runState.phase !== 'done' || !r) return;
    void queryClient.invalidateQueries({ queryKey: ['leads'] });
    void queryClient.invalidateQueries({ queryKey: ['customFields'] });
    showToast(
      r.aborted
        ? t('imports.aborted', { count: r.rejected.length })
        : r.stoppedAfterRow != null
          ? t('imports.stopped', {
              row: formatNumber(r.stoppedAfterRow, i18n.language),
              created: formatNumber(r.created, i18n.language),
              merged: formatNumber(r.merged, i18n.language),
            })
          : t('imports.done', {
              created: r.created,
              updated: r.updated,
              merged: r.merged,
              skipped: r.skipped,
              possible: r.possibleDuplicates,
            }),
    );
    runJob.reset();
    if (!r.aborted) {
      clear();
      setDone(r);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runState?.phase]);
  const clear = () => {
    previewJob.reset();
    setFile(null);
    setMapping(null);
    setLastPreview(undefined);
  };
  const previewError =
    previewJob.error ??
    (previewState?.phase === 'failed'
      ? new ApiError(
          previewState.error!.code,
          previewState.error!.message,
          previewState.error!.issues,
        )
      : null);
  const runError =
    runJob.error ??
    (runState?.phase === 'failed'
      ? new ApiError(runState.error!.code, runState.error!.message)
      : null);
  const customFields = useCustomFields();
  const history = useQuery({
    queryKey: ['leads', 'imports'],
    queryFn: () => api.call('imports.list', {}),
  });
  const run = (allOrNothing: boolean) => void runJob.start({ ...input!, allOrNothing });
  const downloadProblems = useMutation({
    mutationFn: (batchId: string) => api.call('imports.problems', { id: batchId }),
    onSuccess: (f) => downloadText(f.fileName, f.text, 'text/csv;charset=utf-8'),
  });
  const undo = useMutation({
    mutationFn: (id: string) => api.call('imports.undo', { id }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: ['leads'] });
      showToast(t('imports.undone', { deleted: r.deleted, restored: r.restored }));
    },
  });

  const pick = async (e: ChangeEvent<HTMLInputElement>) => {
    const picked = e.target.files?.[0];
    e.target.value = '';
    if (!picked) return;
    setReadError(false);
    try {
      const source =
        picked.size > UPLOAD_FROM_BYTES
          ? { upload: await uploadInChunks(picked, setSending) }
          : { content: await readAsBase64(picked) };
      setFile({ name: picked.name, source, pick: Date.now() });
      setMapping(null);
      setValues({});
      setRowActions({});
      setLastPreview(undefined);
      setDone(null);
      runJob.reset();
    } catch {
      setReadError(true);
    } finally {
      setSending(null);
    }
  };
  // While a new preview is worked out, the last one stays on screen.
  const p: ImportPreview | undefined = previewState?.preview ?? lastPreview;
  const targets = p?.mapping.map((m) => m.target) ?? [];
  // Unrecognised columns that end in the notes (those kept as custom fields are said so).
  const toNotes = (p?.mapping ?? [])
    .filter((m) => m.target === 'note' && p!.unrecognized.includes(m.header))
    .map((m) => m.header);
  const setTarget = (i: number, target: ColumnTarget) =>
    setMapping(targets.map((old, j) => (j === i ? target : old)));

  return (
    <Page title={t('imports.title')} className="imports-page">
      <section className="panel">
        <p className="muted">{t('imports.hint')}</p>
        <div className="row">
          <label className="button-like">
            {t('imports.pick')}
            <input
              type="file"
              className="sr-only"
              accept=".csv,.tsv,.txt,.xlsx,.vcf,text/csv,text/plain,text/vcard,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-label={t('imports.pick')}
              onChange={(e) => void pick(e)}
            />
          </label>
          {file && <strong>{file.name}</strong>}
        </div>
        {readError && <p className="error">{t('imports.readError')}</p>}
        {sending !== null && (
          <div className="import-progress" role="status" data-testid="import-sending">
            <progress aria-label={t('imports.sending')} value={sending} max={1} />
            <span>
              {t('imports.sending')} {formatPercent(sending, i18n.language)}
            </span>
          </div>
        )}
        {runJob.running && !p && <ImportProgress state={runState} onCancel={runJob.cancel} />}
        {previewJob.running && <ImportProgress state={previewState} onCancel={() => clear()} />}
        {previewError && (
          <p role="alert" className="error">
            {(previewError as { issues?: { message: string }[] }).issues?.[0]?.message ??
              errorText(previewError)}
          </p>
        )}
      </section>

      {p && (
        <>
          <section className="panel" aria-label={t('imports.mapping')}>
            <h2>{t('imports.mapping')}</h2>
            <p className="muted">
              {t('imports.fileFacts', {
                // A big file's preview read its first rows: the file's own size is estimated.
                rows: p.sampled
                  ? t('imports.aboutRows', {
                      rows: formatNumber(p.sampled.estimatedRows, i18n.language),
                    })
                  : formatNumber(p.rows, i18n.language),
                encoding: p.encoding,
                delimiter: p.delimiter === '\t' ? 'Tab' : p.delimiter,
              })}
            </p>
            {p.sampled && (
              <p className="muted" data-testid="import-sampled">
                {t('imports.sampled', {
                  checked: formatNumber(p.sampled.checkedRows, i18n.language),
                  estimated: formatNumber(p.sampled.estimatedRows, i18n.language),
                })}
              </p>
            )}
            <table className="mapping">
              <thead>
                <tr>
                  <th>{t('imports.column')}</th>
                  <th>{t('imports.field')}</th>
                  <th>{t('imports.sample')}</th>
                </tr>
              </thead>
              <tbody>
                {p.mapping.map((m, i) => (
                  <tr key={`${i}:${m.header}`}>
                    <td>
                      {m.header}{' '}
                      {p.unrecognized.includes(m.header) && m.target === 'note' && (
                        <span className="badge muted">{t('imports.notRecognised')}</span>
                      )}
                    </td>
                    <td>
                      <select
                        aria-label={t('imports.targetOf', { header: m.header })}
                        value={m.target ?? ''}
                        onChange={(e) => setTarget(i, (e.target.value || null) as ColumnTarget)}
                      >
                        <option value="">{t('imports.ignore')}</option>
                        <option value="note">{t('imports.toNotes')}</option>
                        <option value="custom">{t('imports.toNewCustom')}</option>
                        {customFields.data?.map((f) => (
                          <option key={f.id} value={`cf.${f.key}`}>
                            {t('imports.toCustom', { label: f.label })}
                          </option>
                        ))}
                        {importFields.map((f) => (
                          <option key={f} value={f}>
                            {t(`fields.${f}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="muted">
                      {p.sample
                        .map((row) => row[i] ?? '')
                        .filter(Boolean)
                        .slice(0, 3)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.customFields.length > 0 && (
              <p className="muted" data-testid="import-custom-fields">
                {t('imports.customFields', {
                  fields: p.customFields
                    .map((f) =>
                      t(f.isNew ? 'imports.newCustomField' : 'imports.existingCustomField', {
                        label: f.label,
                        type: t(`customFields.type.${f.type}`),
                      }),
                    )
                    .join(t('form.listSep')),
                })}
              </p>
            )}
            {(p.outcomes.won > 0 || p.outcomes.lost > 0) && (
              <p className="muted" data-testid="import-outcomes">
                {t('imports.outcomes', { won: p.outcomes.won, lost: p.outcomes.lost })}
              </p>
            )}
            {toNotes.length > 0 && (
              <p className="muted" data-testid="import-unrecognised">
                {t('imports.unrecognised', {
                  count: toNotes.length,
                  headers: toNotes.join(t('form.listSep')),
                })}
              </p>
            )}
            {p.emptyMarkers.length > 0 && (
              <p className="muted" data-testid="import-markers">
                {t('imports.emptyMarkers', {
                  markers: p.emptyMarkers
                    .slice(0, MAX_MARKERS)
                    .map((m) => t('imports.markerCount', { marker: m.marker, count: m.count }))
                    .join(t('form.listSep')),
                })}
              </p>
            )}
          </section>

          {(p.values.status.length > 0 || p.values.source.length > 0) && (
            <section className="panel" aria-label={t('imports.valueMapping')}>
              <h2>{t('imports.valueMapping')}</h2>
              <table className="mapping">
                <tbody>
                  {(['status', 'source'] as const).flatMap((kind) =>
                    p.values[kind].map(({ raw, value }) => {
                      const Picker = kind === 'status' ? StatusSelect : SourceSelect;
                      return (
                        <tr key={`${kind}:${raw}`}>
                          <td>{t(`fields.${kind}`)}</td>
                          <td>{raw}</td>
                          <td>
                            <Picker
                              aria-label={t('imports.valueOf', { value: raw })}
                              emptyLabel={t('form.none')}
                              value={value ?? ''}
                              onChange={(v) =>
                                setValues((old) => ({
                                  ...old,
                                  [kind]: { ...old[kind], [raw]: v || null },
                                }))
                              }
                            />
                          </td>
                        </tr>
                      );
                    }),
                  )}
                </tbody>
              </table>
            </section>
          )}

          <section className="panel" aria-label={t('imports.preview')}>
            <h2>{t('imports.preview')}</h2>
            <label className="field inline">
              <span>{t('imports.onDuplicate')}</span>
              <select
                name="on-duplicate"
                value={onDuplicate}
                onChange={(e) => {
                  // "For all duplicates": single-row choices give way to it.
                  setOnDuplicate(e.target.value as DuplicatePolicy);
                  setRowActions({});
                }}
              >
                {duplicatePolicies.map((d) => (
                  <option key={d} value={d}>
                    {t(`imports.policy.${d}`)}
                  </option>
                ))}
              </select>
            </label>
            <p data-testid="import-summary">
              {t('imports.summary', {
                created: p.created,
                updated: p.updated,
                merged: p.merged,
                skipped: p.skipped,
                possible: p.possibleDuplicates,
                warnings: p.warnings.length,
                rejected: p.rejected.length,
              })}
            </p>
            {p.duplicates.length > 0 && (
              <div className="duplicates" role="region" aria-label={t('imports.duplicates')}>
                <strong>{t('imports.duplicates')}</strong>
                <ul>
                  {p.duplicates.slice(0, MAX_LISTED).map((d) => (
                    <li key={d.row}>
                      {t('imports.row', { row: d.row })}:{' '}
                      <span className={d.kind === 'possible' ? 'badge warning' : 'badge'}>
                        {t(`imports.${d.kind}`)}
                      </span>{' '}
                      {'lead' in d.of
                        ? t(d.kind === 'same' ? 'imports.dupOfLead' : 'imports.likeLead', {
                            name: d.of.name,
                          })
                        : t(d.kind === 'same' ? 'imports.dupOfRow' : 'imports.likeRow', {
                            row: d.of.row,
                          })}{' '}
                      <span className="muted">
                        (
                        {d.reasons
                          .map((r) => t(`form.duplicateReason.${r}`))
                          .join(t('form.listSep'))}
                        {d.differs.length > 0 &&
                          `; ${t('imports.differs', {
                            fields: d.differs.map((f) => t(`fields.${f}`)).join(t('form.listSep')),
                          })}`}
                        )
                      </span>{' '}
                      <select
                        aria-label={t('imports.rowAction', { row: d.row })}
                        value={policyOf[d.action]}
                        onChange={(e) =>
                          setRowActions((old) => ({
                            ...old,
                            [String(d.row)]: e.target.value as DuplicatePolicy,
                          }))
                        }
                      >
                        {duplicatePolicies.map((policy) => (
                          <option key={policy} value={policy}>
                            {t(`imports.policy.${policy}`)}
                          </option>
                        ))}
                      </select>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {p.possibleDuplicates > 0 && <p className="muted">{t('imports.possibleHint')}</p>}
            {p.warnings.length > 0 && (
              <div className="warnings" role="region" aria-label={t('imports.warnings')}>
                <strong>{t('imports.warnings')}</strong>
                <ul>
                  {p.warnings.slice(0, MAX_LISTED).map((w, i) => (
                    <li key={`${w.row}:${w.column}:${i}`}>
                      {t('imports.row', { row: w.row })} · {w.column}: “{w.value}” —{' '}
                      {t(`imports.warning.${w.kind}`)}
                    </li>
                  ))}
                </ul>
                {p.warnings.length > MAX_LISTED && (
                  <small className="muted">
                    {t('imports.more', { count: p.warnings.length - MAX_LISTED })}
                  </small>
                )}
              </div>
            )}
            {p.rejected.length > 0 && (
              <div className="rejected" role="region" aria-label={t('imports.rejected')}>
                <strong>{t('imports.rejected')}</strong>
                <ul>
                  {p.rejected.slice(0, MAX_LISTED).map((r) => (
                    <li key={r.row}>
                      {t('imports.row', { row: r.row })}: {rejectionText(r)}
                    </li>
                  ))}
                </ul>
                {p.rejected.length > MAX_LISTED && (
                  <small className="muted">
                    {t('imports.more', { count: p.rejected.length - MAX_LISTED })}
                  </small>
                )}
              </div>
            )}
            {p.conflicts.length > 0 && (
              <p className="muted">{t('imports.conflicts', { count: p.conflicts.length })}</p>
            )}
            {runJob.running ? (
              <ImportProgress state={runState} onCancel={runJob.cancel} />
            ) : (
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  disabled={previewJob.running || p.created + p.merged + p.updated === 0}
                  onClick={() => run(false)}
                >
                  {p.rejected.length ? t('imports.runGood') : t('imports.run')}
                </button>
                {p.rejected.length > 0 && (
                  <button type="button" disabled={previewJob.running} onClick={() => run(true)}>
                    {t('imports.runAllOrNothing')}
                  </button>
                )}
                <button type="button" onClick={clear}>
                  {t('form.cancel')}
                </button>
                {runError && (
                  <span role="alert" className="error">
                    {errorText(runError)}
                  </span>
                )}
              </div>
            )}
          </section>
        </>
      )}

      {done && !p && (
        <section className="panel" aria-label={t('imports.result')} data-testid="import-result">
          <h2>{t('imports.result')}</h2>
          <p>
            <strong>{done.file}</strong> ·{' '}
            {t('imports.counts', {
              created: done.created,
              updated: done.updated,
              merged: done.merged,
              possible: done.possibleDuplicates,
              warnings: done.warnings.length,
              rejected: done.rejected.length,
            })}
          </p>
          <div className="row">
            {done.possibleDuplicates > 0 && (
              <button type="button" className="primary" onClick={() => setPage('duplicates')}>
                {t('imports.reviewDuplicates', { count: done.possibleDuplicates })}
              </button>
            )}
            {done.batchId && done.problems.length > 0 && (
              <button
                type="button"
                disabled={downloadProblems.isPending}
                onClick={() => downloadProblems.mutate(done.batchId!)}
              >
                {t('imports.problemsCsv')}
              </button>
            )}
          </div>
        </section>
      )}

      <section className="panel" aria-label={t('imports.history')}>
        <h2>{t('imports.history')}</h2>
        {history.data?.length === 0 && <p className="muted">{t('imports.noHistory')}</p>}
        <ul className="list compact" data-testid="import-history">
          {history.data?.map((b) => (
            <li key={b.id}>
              <strong>{b.file}</strong>{' '}
              <span className="muted">
                {formatDateTime(b.importedAt, i18n.language)} ·{' '}
                {t('imports.counts', {
                  created: b.counts.created ?? 0,
                  updated: b.counts.updated ?? 0,
                  merged: b.counts.merged ?? 0,
                  possible: b.counts.possibleDuplicates ?? 0,
                  warnings: b.counts.warnings ?? 0,
                  rejected: b.counts.rejected ?? 0,
                })}
              </span>{' '}
              {(b.counts.warnings ?? 0) + (b.counts.rejected ?? 0) > 0 && (
                <button
                  type="button"
                  disabled={downloadProblems.isPending}
                  onClick={() => downloadProblems.mutate(b.id)}
                >
                  {t('imports.problemsCsv')}
                </button>
              )}{' '}
              {b.undoneAt ? (
                <span className="badge">{t('imports.undoneBadge')}</span>
              ) : (
                <button type="button" onClick={() => undo.mutate(b.id)} disabled={undo.isPending}>
                  {t('imports.undo')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
