import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type KeyboardEvent,
  type SetStateAction,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomFields, useNames } from '../../api/queries.js';
import { leadsFilterKey, useUi, type LeadsView } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { ConvertDialog } from './ConvertDialog.js';
import { LeadRowView, ROW_HEIGHT } from './LeadRowView.js';
import { LeadsHeader } from './LeadsHeader.js';
import { columnWidthStyle } from './LeadsTableLayout.js';
import { useConvertLead } from './useConvertLead.js';
import { PAGE_SIZE, useLeadPages } from './useLeadPages.js';

/** The virtualised table. It is the only part of the leads page that re-renders while
 * scrolling (the toolbar and bulk bar do not), so a frame costs only the rows coming into
 * view. */
export function LeadsTable({
  view,
  filtered,
  selected,
  setSelected,
}: {
  view: LeadsView;
  filtered: boolean;
  selected: ReadonlySet<string>;
  setSelected: Dispatch<SetStateAction<ReadonlySet<string>>>;
}) {
  const { t } = useTranslation();
  const setPage = useUi((s) => s.setPage);
  const openLead = useUi((s) => s.openLead);
  const openLeadId = useUi((s) => s.openLeadId);
  const baseNames = useNames();
  const customFields = useCustomFields().data;
  // Rows memoise on `names`: a new object only when the names or the custom fields change.
  const names = useMemo(
    () => ({
      ...baseNames,
      customTypes: new Map((customFields ?? []).map((f) => [f.key, f.type])),
    }),
    [baseNames, customFields],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const [visiblePages, setVisiblePages] = useState<number[]>([0]);
  const pages = useLeadPages(view, visiblePages);
  const virtualizer = useVirtualizer({
    count: pages.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    const from = Math.floor(firstIndex / PAGE_SIZE);
    const to = Math.floor(lastIndex / PAGE_SIZE);
    const next = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    setVisiblePages((prev) => (prev.join() === next.join() ? prev : next));
  }, [firstIndex, lastIndex]);

  const anchor = useRef<number | null>(null);
  const filterKey = leadsFilterKey(view);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    anchor.current = null;
  }, [filterKey]);
  // Rows memoise on their callbacks, so these must not change with every render.
  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const onToggle = useCallback(
    (index: number, id: string, range: boolean) => {
      // Read now: the state updater below runs later, after the anchor has moved.
      const from = anchor.current;
      const rows = pagesRef.current.loaded();
      anchor.current = index;
      setSelected((prev) => {
        const next = new Set(prev);
        if (range && from !== null) {
          const [lo, hi] = [Math.min(from, index), Math.max(from, index)];
          for (const { index: i, row } of rows) if (i >= lo && i <= hi) next.add(row.id);
        } else if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    },
    [setSelected],
  );
  const onOpen = useCallback((id: string) => openLead(id), [openLead]);
  const conversion = useConvertLead();
  // Stable for the memoised rows: the latest hook state is read through a ref.
  const convertRef = useRef(conversion.convert);
  convertRef.current = conversion.convert;
  const onConvert = useCallback((id: string) => convertRef.current(id), []);
  // Keyboard: ↑/↓ (or K/J) move a cursor over the rows, Enter opens, X or Space selects.
  const [cursor, setCursor] = useState<number | null>(null);
  useEffect(() => setCursor(null), [filterKey]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') return;
    const total = pagesRef.current.total;
    if (!total) return;
    const move = (to: number) => {
      const next = Math.max(0, Math.min(total - 1, to));
      setCursor(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    };
    const row = cursor === null ? undefined : pagesRef.current.rowAt(cursor);
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        e.preventDefault();
        move(cursor === null ? firstIndex : cursor + 1);
        break;
      case 'ArrowUp':
      case 'k':
        e.preventDefault();
        move(cursor === null ? firstIndex : cursor - 1);
        break;
      case 'Enter':
        if (row && !(e.target instanceof HTMLButtonElement)) {
          e.preventDefault();
          openLead(row.id);
        }
        break;
      case 'x':
      case ' ':
        if (row && !(e.target instanceof HTMLButtonElement)) {
          e.preventDefault();
          onToggle(cursor!, row.id, e.shiftKey);
        }
        break;
    }
  };
  const loadedRows = pages.loaded();
  const allLoadedSelected =
    loadedRows.length > 0 && loadedRows.every(({ row }) => selected.has(row.id));
  const columns = view.columns;
  const widthStyle = useMemo(() => columnWidthStyle(columns, view.widths), [columns, view.widths]);
  // The header scrolls sideways with the rows (it sits outside their scroll box, so the
  // rows' vertical scrollbar does not run under it).
  const onScroll = () => {
    if (headRef.current && scrollRef.current)
      headRef.current.scrollLeft = scrollRef.current.scrollLeft;
  };
  return (
    <>
      {pages.error && (
        <p role="alert" className="error">
          {errorText(pages.error)}
        </p>
      )}
      <div
        ref={tableRef}
        className="table"
        style={widthStyle}
        role="table"
        aria-rowcount={pages.total + 1}
        aria-label={t('leads.title')}
        aria-multiselectable
        onKeyDown={onKeyDown}
      >
        <LeadsHeader
          view={view}
          columns={columns}
          tableRef={tableRef}
          headRef={headRef}
          allSelected={allLoadedSelected}
          onSelectAll={() =>
            setSelected(
              allLoadedSelected ? new Set() : new Set(loadedRows.map(({ row }) => row.id)),
            )
          }
        />
        <div
          className="tbody"
          ref={scrollRef}
          onScroll={onScroll}
          role="rowgroup"
          tabIndex={0}
          aria-label={t('leads.keyboardHint')}
        >
          {!pages.isPending && pages.total === 0 && (
            <div className="muted empty">
              {filtered ? (
                <p>{t('leads.noMatch')}</p>
              ) : (
                <>
                  <p>{t('leads.empty')}</p>
                  <button className="primary" onClick={() => setPage('capture')}>
                    {t('leads.new')}
                  </button>
                </>
              )}
            </div>
          )}
          <div className="rows" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = pages.rowAt(item.index);
              return (
                <LeadRowView
                  key={item.key}
                  row={row}
                  index={item.index}
                  start={item.start}
                  columns={columns}
                  names={names}
                  selected={!!row && selected.has(row.id)}
                  active={!!row && row.id === openLeadId}
                  cursor={item.index === cursor}
                  onToggle={onToggle}
                  onOpen={onOpen}
                  onConvert={onConvert}
                />
              );
            })}
          </div>
        </div>
      </div>
      {conversion.dialogFor && (
        <ConvertDialog
          leadId={conversion.dialogFor}
          onClose={conversion.closeDialog}
          onConverted={conversion.converted}
        />
      )}
    </>
  );
}
