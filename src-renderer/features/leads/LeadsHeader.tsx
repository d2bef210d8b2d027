// The leads table's header: click a column to sort by it, drag it sideways to move it,
// drag its right edge (or focus the edge and press ←/→) to resize it. The name stays
// first, pinned on the left. Widths and order are saved in the view (and in a saved view).
import {
  closestCenter,
  DndContext,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type Modifier,
} from '@dnd-kit/core';
import {
  arrayMove,
  horizontalListSortingStrategy,
  SortableContext,
  useSortable,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { KeyboardEvent, PointerEvent, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldLabel } from '../../api/queries.js';
import { useUi, type LeadSortField, type LeadsView } from '../../app/uiStore.js';
import { applyColumnWidths } from './LeadsTableLayout.js';
import {
  columnWidth,
  keepsWholeText,
  MAX_COLUMN_WIDTH,
  minColumnWidth,
  widthVar,
} from './leadColumns.js';

/** Only sideways: a column moves along the header. */
const alongTheHeader: Modifier = ({ transform }) => ({ ...transform, y: 0 });
const KEY_STEP = 16;

export function LeadsHeader({
  view,
  columns,
  tableRef,
  headRef,
  allSelected,
  onSelectAll,
}: {
  view: LeadsView;
  columns: readonly LeadSortField[];
  tableRef: RefObject<HTMLDivElement | null>;
  headRef: RefObject<HTMLDivElement | null>;
  allSelected: boolean;
  onSelectAll(): void;
}) {
  const { t } = useTranslation();
  const setLeads = useUi((s) => s.setLeads);
  const sensors = useSensors(
    // A few pixels before a drag starts: a click on a header still sorts.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
  );
  const movable: LeadSortField[] = columns.filter((c) => c !== 'name');
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = movable.indexOf(active.id as LeadSortField);
    const to = movable.indexOf(over.id as LeadSortField);
    if (from < 0 || to < 0) return;
    setLeads({ columns: ['name', ...arrayMove(movable, from, to)] });
  };
  const resized = (field: LeadSortField, width: number) =>
    setLeads({ widths: { ...view.widths, [field]: width } });
  return (
    <div className="thead" role="rowgroup" ref={headRef}>
      <div className="tr" role="row">
        <div role="columnheader" className="th check">
          <input
            type="checkbox"
            aria-label={t('leads.selectAll')}
            checked={allSelected}
            onChange={onSelectAll}
          />
        </div>
        {columns.includes('name') && (
          <HeaderCell field="name" view={view} pinned tableRef={tableRef} onResized={resized} />
        )}
        <DndContext
          sensors={sensors}
          collisionDetection={closestCenter}
          modifiers={[alongTheHeader]}
          onDragEnd={onDragEnd}
        >
          <SortableContext items={movable} strategy={horizontalListSortingStrategy}>
            {movable.map((field) => (
              <HeaderCell
                key={field}
                field={field}
                view={view}
                tableRef={tableRef}
                onResized={resized}
              />
            ))}
          </SortableContext>
        </DndContext>
        <div role="columnheader" className="th actions">
          <span className="sr-only">{t('convert.actions')}</span>
        </div>
      </div>
    </div>
  );
}

function HeaderCell({
  field,
  view,
  pinned = false,
  tableRef,
  onResized,
}: {
  field: LeadSortField;
  view: LeadsView;
  pinned?: boolean;
  tableRef: RefObject<HTMLDivElement | null>;
  onResized(field: LeadSortField, width: number): void;
}) {
  const { t } = useTranslation();
  const setLeads = useUi((s) => s.setLeads);
  const label = useFieldLabel((f) => t(`leads.columns.${f}`))(field);
  const sortable = useSortable({ id: field, disabled: pinned });
  const width = columnWidth(field, view.widths);
  const min = minColumnWidth(field);
  const sorted = view.sort.field === field;
  const sortBy = () =>
    setLeads({
      sort: { field, dir: sorted && view.sort.dir === 'asc' ? 'desc' : 'asc' },
    });
  // While the edge is dragged only the table's CSS variables change (no re-render of the
  // rows); the width is saved when the pointer lets go.
  const live = (w: number) => {
    const table = tableRef.current;
    if (table) applyColumnWidths(table, { ...view.widths, [field]: w }, [field]);
  };
  const clamp = (w: number) => Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(min, w)));
  const onEdgeDown = (e: PointerEvent<HTMLDivElement>) => {
    e.stopPropagation();
    e.preventDefault();
    const edge = e.currentTarget;
    edge.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    let next = width;
    const move = (ev: globalThis.PointerEvent) => {
      next = clamp(width + ev.clientX - startX);
      live(next);
    };
    const up = () => {
      edge.removeEventListener('pointermove', move);
      edge.removeEventListener('pointerup', up);
      edge.removeEventListener('pointercancel', up);
      if (next !== width) onResized(field, next);
    };
    edge.addEventListener('pointermove', move);
    edge.addEventListener('pointerup', up);
    edge.addEventListener('pointercancel', up);
  };
  const onEdgeKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const by = e.key === 'ArrowRight' ? KEY_STEP : e.key === 'ArrowLeft' ? -KEY_STEP : 0;
    if (!by) return;
    e.preventDefault();
    e.stopPropagation();
    onResized(field, clamp(width + by));
  };
  return (
    <div
      ref={sortable.setNodeRef}
      role="columnheader"
      className={['th', pinned ? 'pinned' : 'movable', sortable.isDragging ? 'dragging' : ''].join(
        ' ',
      )}
      style={{
        flex: `0 0 var(${widthVar(field)}, ${width}px)`,
        transform: CSS.Translate.toString(sortable.transform),
        transition: sortable.transition,
      }}
      aria-sort={sorted ? (view.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
      data-column={field}
      // For the layout check (tests/e2e/screens.e2e.ts): values never cut in this column.
      data-whole={keepsWholeText(field) || undefined}
      {...(pinned ? {} : sortable.listeners)}
    >
      <button className="link" onClick={sortBy} title={pinned ? undefined : t('leads.dragColumn')}>
        {label}
        {sorted ? (view.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
      <div
        className="col-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={t('leads.resizeColumn', { name: label })}
        aria-valuemin={min}
        aria-valuemax={MAX_COLUMN_WIDTH}
        aria-valuenow={width}
        tabIndex={0}
        onPointerDown={onEdgeDown}
        onKeyDown={onEdgeKey}
      />
    </div>
  );
}
