import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  CsvEncoding,
  ExportEntity,
  ExportFileFormat,
  ListInput,
} from '../../src-main/contract/index.js';
import { api } from '../api/client.js';
import { useUi } from '../app/uiStore.js';
import { downloadBase64 } from './download.js';
import { errorText } from './errors.js';
import { formatNumber } from './format.js';

/** The file kinds offered, as one choice: CSV comes in two encodings. */
const choices = ['csv-utf-8', 'csv-gb18030', 'xlsx', 'json'] as const;
type Choice = (typeof choices)[number];
const formatOf = (c: Choice): { format: ExportFileFormat; encoding: CsvEncoding } =>
  c === 'csv-utf-8'
    ? { format: 'csv', encoding: 'utf-8' }
    : c === 'csv-gb18030'
      ? { format: 'csv', encoding: 'gb18030' }
      : { format: c, encoding: 'utf-8' };

/** Export an entity as a file: the list on screen (its filters, search and order) or
 * everything, as CSV (UTF-8 with BOM, or GB18030 for older Excel), .xlsx or JSON. */
export function ExportMenu({
  entity,
  list,
  count,
}: {
  entity: ExportEntity;
  /** The list on screen, when there is one. */
  list?: Omit<ListInput, 'limit' | 'offset'>;
  count?: number | null;
}) {
  const { t, i18n } = useTranslation();
  const showToast = useUi((s) => s.showToast);
  const [choice, setChoice] = useState<Choice>('csv-utf-8');
  const run = useMutation({
    mutationFn: (which: 'list' | 'all') =>
      api.call('data.export', {
        entity,
        ...formatOf(choice),
        ...(which === 'list' && list ? { list } : {}),
      }),
    onSuccess: (file) => {
      downloadBase64(file.fileName, file.content, file.mime);
      showToast(t('export.done', { count: file.rows, file: file.fileName }));
    },
  });
  return (
    <div className="export-menu row">
      <select
        aria-label={t('export.format')}
        value={choice}
        onChange={(e) => setChoice(e.target.value as Choice)}
      >
        {choices.map((c) => (
          <option key={c} value={c}>
            {t(`export.formats.${c}`)}
          </option>
        ))}
      </select>
      {list && (
        <button type="button" disabled={run.isPending} onClick={() => run.mutate('list')}>
          {count != null
            ? t('export.current', { count, shown: formatNumber(count, i18n.language) })
            : t('export.currentPlain')}
        </button>
      )}
      <button type="button" disabled={run.isPending} onClick={() => run.mutate('all')}>
        {t(`export.all.${entity}`)}
      </button>
      {run.error && (
        <span role="alert" className="error">
          {errorText(run.error)}
        </span>
      )}
    </div>
  );
}
