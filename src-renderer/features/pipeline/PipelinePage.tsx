// The pipeline (F7): a kanban board — one column per open stage, won and lost as drop
// zones — or the same opportunities as a list. Cards move by mouse or keyboard
// (@dnd-kit: Space picks up, arrows move, Space drops; each step announced). A move shows
// at once and is undone with a message if the service refuses it; a move to lost first
// asks why.
import {
  closestCorners,
  DndContext,
  pointerWithin,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type {
  BoardCard,
  BoardColumn,
  BoardInput,
  MoneySum,
  StageRow,
} from '../../../src-main/contract/index.js';
import { api } from '../../api/client.js';
import { useNames, useTeamSettings } from '../../api/queries.js';
import { useUi } from '../../app/uiStore.js';
import { errorText } from '../../components/errors.js';
import { formatDate, formatMoney, localName, majorToMinor } from '../../components/format.js';
import { Page } from '../../components/Page.js';
import { EventSelect, UserSelect } from '../../components/pickers.js';
import { LostReasonDialog } from './LostReasonDialog.js';
import { NewOpportunityDialog } from './NewOpportunityDialog.js';

type Layout = Record<string, string[]>;

/** Under the pointer when there is one (a drop on the won/lost zone lands there), else the
 * nearest by corners (the keyboard sensor has no pointer). */
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length ? hits : closestCorners(args);
};

const layoutOf = (cols: readonly BoardColumn[]): Layout =>
  Object.fromEntries(cols.map((c) => [c.stage.id, c.cards.map((card) => card.id)]));

export function PipelinePage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showToast = useUi((s) => s.showToast);
  const showOpportunity = useUi((s) => s.showOpportunity);
  const openId = useUi((s) => s.openOpportunityId);
  const [filters, setFilters] = useState<{
    owner: string;
    event: string;
    from: string;
    to: string;
    min: string;
    max: string;
  }>({ owner: '', event: '', from: '', to: '', min: '', max: '' });
  const [view, setView] = useState<'board' | 'list'>('board');
  const [creating, setCreating] = useState(false);
  const settings = useTeamSettings();
  // Amount bounds are typed in the team's currency (its minor units); a bound that is not
  // an amount is marked and left out rather than narrowing the board to nothing.
  const bound = (text: string) =>
    text.trim() === '' ? undefined : majorToMinor(text, settings.data?.currency ?? 'CNY');
  const amountBad = (text: string) => Number.isNaN(bound(text));
  const min = bound(filters.min);
  const max = bound(filters.max);
  const input: BoardInput = {
    // A column shows its first 500 cards (its count and totals cover all): past that the
    // filters narrow it down.
    limit: 500,
    // Won and lost deals are listed in the list view; on the board they are drop zones.
    closedCards: view === 'list',
    ...(filters.owner ? { owner_id: [filters.owner] } : {}),
    ...(filters.event ? { campaign_id: [filters.event] } : {}),
    ...(filters.from ? { close_from: filters.from } : {}),
    ...(filters.to ? { close_to: filters.to } : {}),
    ...(min !== undefined && !Number.isNaN(min) ? { amount_min: min } : {}),
    ...(max !== undefined && !Number.isNaN(max) ? { amount_max: max } : {}),
  };
  const boardQuery = useQuery({
    queryKey: ['opportunities', 'board', input],
    queryFn: () => api.call('opportunities.board', input),
  });
  const columns = useMemo(() => boardQuery.data ?? [], [boardQuery.data]);
  const cards = useMemo(
    () => new Map(columns.flatMap((c) => c.cards.map((card) => [card.id, card]))),
    [columns],
  );
  // The order on screen: the server's, changed at once by a drag (optimistic).
  const [layout, setLayout] = useState<Layout>({});
  useEffect(() => setLayout(layoutOf(columns)), [columns]);
  const [dragging, setDragging] = useState<string | null>(null);
  const [askLost, setAskLost] = useState<{ id: string; stageId: string } | null>(null);
  const stageName = (s: StageRow) => localName(s, i18n.language);
  const columnOf = (id: string) =>
    Object.keys(layout).find((stage) => stage === id || layout[stage]!.includes(id));
  const move = useMutation({
    // `order`: the target column as the drop left it (the state may not show it yet).
    mutationFn: (v: { id: string; stageId: string; order: string[]; lostReason?: string }) => {
      const list = v.order;
      const at = list.indexOf(v.id);
      return api.call('opportunities.move', {
        id: v.id,
        stageId: v.stageId,
        afterId: at > 0 ? list[at - 1]! : null,
        beforeId: at >= 0 && at < list.length - 1 ? list[at + 1]! : null,
        ...(v.lostReason ? { lostReason: v.lostReason } : {}),
      });
    },
    onError: (err) => {
      // Back where it was, and why.
      setLayout(layoutOf(columns));
      showToast(t('board.moveFailed', { reason: errorText(err) }));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['opportunities'] }),
  });
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const stageById = new Map(columns.map((c) => [c.stage.id, c.stage]));
  const nameOf = (id: string | number) => cards.get(String(id))?.name ?? String(id);
  const placeOf = (id: string | number | undefined) => {
    const stage = id === undefined ? undefined : columnOf(String(id));
    const s = stage ? stageById.get(stage) : undefined;
    return s ? stageName(s) : '';
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      t('board.picked', { name: nameOf(active.id), stage: placeOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? t('board.over', { name: nameOf(active.id), stage: placeOf(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t('board.dropped', { name: nameOf(active.id), stage: placeOf(over.id) }) : undefined,
    onDragCancel: ({ active }) => t('board.cancelled', { name: nameOf(active.id) }),
  };
  const onDragStart = (e: DragStartEvent) => setDragging(String(e.active.id));
  // Across columns while dragging: the card shows in the column under it.
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const from = columnOf(String(active.id));
    const to = columnOf(String(over.id));
    if (!from || !to || from === to) return;
    // Won and lost are drop zones without a card list: the card stays put until dropped.
    if (stageById.get(to)?.kind !== 'open') return;
    setLayout((l) => {
      const target = l[to]!.filter((id) => id !== active.id);
      const at = target.indexOf(String(over.id));
      target.splice(at < 0 ? target.length : at, 0, String(active.id));
      return { ...l, [from]: l[from]!.filter((id) => id !== active.id), [to]: target };
    });
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    const id = String(active.id);
    const original = columns.find((c) => c.cards.some((card) => card.id === id))?.stage.id;
    const to = over ? columnOf(String(over.id)) : undefined;
    if (!to) {
      setLayout(layoutOf(columns));
      return;
    }
    let next = layout;
    if (over && over.id !== active.id && layout[to]!.includes(String(over.id))) {
      // Reordered within the column.
      const list = layout[to]!.filter((x) => x !== id);
      list.splice(layout[to]!.indexOf(String(over.id)), 0, id);
      next = { ...layout, [to]: list };
      setLayout(next);
    }
    const before = columns.find((c) => c.stage.id === original)?.cards.map((c) => c.id) ?? [];
    if (to === original && JSON.stringify(next[to]) === JSON.stringify(before)) return;
    const kind = stageById.get(to)?.kind;
    if (kind !== 'open') {
      // Off the board at once (the zone's count follows from the server).
      const from = columnOf(id);
      if (from && from !== to)
        setLayout((l) => ({ ...l, [from]: l[from]!.filter((x) => x !== id) }));
    }
    if (kind === 'lost') {
      setAskLost({ id, stageId: to });
      return;
    }
    move.mutate({ id, stageId: to, order: next[to] ?? [] });
  };
  if (boardQuery.error)
    return (
      <Page title={t('pipeline.title')}>
        <p role="alert" className="error">
          {errorText(boardQuery.error)}
        </p>
      </Page>
    );
  const open = columns.filter((c) => c.stage.kind === 'open');
  const closed = columns.filter((c) => c.stage.kind !== 'open');
  return (
    <Page title={t('pipeline.title')} className="pipeline-page">
      <div className="toolbar">
        <UserSelect
          aria-label={t('fields.owner_id')}
          emptyLabel={t('board.allOwners')}
          value={filters.owner}
          onChange={(owner) => setFilters({ ...filters, owner })}
        />
        <EventSelect
          aria-label={t('fields.campaign_id')}
          emptyLabel={t('board.allEvents')}
          value={filters.event}
          onChange={(event) => setFilters({ ...filters, event })}
        />
        <label>
          {t('board.closeFrom')}{' '}
          <input
            type="date"
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </label>
        <label>
          {t('board.closeTo')}{' '}
          <input
            type="date"
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </label>
        <label>
          {t('board.amountFrom')}{' '}
          <input
            inputMode="decimal"
            className="amount-filter"
            aria-invalid={amountBad(filters.min) || undefined}
            value={filters.min}
            onChange={(e) => setFilters({ ...filters, min: e.target.value })}
          />
        </label>
        <label>
          {t('board.amountTo')}{' '}
          <input
            inputMode="decimal"
            className="amount-filter"
            aria-invalid={amountBad(filters.max) || undefined}
            value={filters.max}
            onChange={(e) => setFilters({ ...filters, max: e.target.value })}
          />
        </label>
        <div role="group" aria-label={t('board.view')} className="segmented">
          {(['board', 'list'] as const).map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              className={view === v ? 'active' : ''}
              onClick={() => setView(v)}
            >
              {t(`board.views.${v}`)}
            </button>
          ))}
        </div>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          {t('opportunity.new')}
        </button>
      </div>
      {creating && <NewOpportunityDialog onClose={() => setCreating(false)} />}
      {view === 'list' ? (
        <OpportunityList columns={columns} stageName={stageName} onOpen={showOpportunity} />
      ) : (
        <DndContext
          sensors={sensors}
          collisionDetection={collision}
          onDragStart={onDragStart}
          onDragOver={onDragOver}
          onDragEnd={onDragEnd}
          onDragCancel={() => (setDragging(null), setLayout(layoutOf(columns)))}
          accessibility={{
            announcements,
            screenReaderInstructions: { draggable: t('board.instructions') },
          }}
        >
          <div className={dragging ? 'board dragging' : 'board'}>
            {open.map((c) => (
              <Column
                key={c.stage.id}
                column={c}
                name={stageName(c.stage)}
                ids={layout[c.stage.id] ?? []}
                cards={cards}
                openId={openId}
                onOpen={showOpportunity}
              />
            ))}
            <div className="drop-zones">
              {closed.map((c) => (
                <DropZone key={c.stage.id} column={c} name={stageName(c.stage)} />
              ))}
            </div>
          </div>
          {/* No drop animation: the card lands where the list puts it, and nothing is left
              floating over the board (a lingering overlay caught the next mouse drag). */}
          <DragOverlay dropAnimation={null}>
            {dragging && cards.get(dragging) ? (
              <CardView card={cards.get(dragging)!} overlay />
            ) : null}
          </DragOverlay>
        </DndContext>
      )}
      {askLost && (
        <LostReasonDialog
          name={cards.get(askLost.id)?.name ?? ''}
          onCancel={() => (setAskLost(null), setLayout(layoutOf(columns)))}
          onConfirm={(lostReason) => {
            move.mutate({ ...askLost, order: [], lostReason });
            setAskLost(null);
          }}
        />
      )}
    </Page>
  );
}

/** A card's usual height and the space between cards (px), for the column's virtualizer
 * (real heights are measured as cards render). */
const CARD_HEIGHT = 92;
const CARD_GAP = 6;

function sums(list: readonly MoneySum[], locale: string): string {
  return list.length ? list.map((m) => formatMoney(m.amount, m.currency, locale)).join(' + ') : '—';
}

function Column({
  column,
  name,
  ids,
  cards,
  openId,
  onOpen,
}: {
  column: BoardColumn;
  name: string;
  ids: string[];
  cards: ReadonlyMap<string, BoardCard>;
  openId: string | null;
  onOpen(id: string): void;
}) {
  const { t, i18n } = useTranslation();
  const { setNodeRef } = useDroppable({ id: column.stage.id });
  // Only the cards in view (and a few around) are in the page: with 2 000 deals on the
  // board, every sortable card re-rendered on each pointer move during a drag (dnd-kit's
  // context changes), a quarter of a second per move. Spacers keep the scroll height.
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_HEIGHT,
    gap: CARD_GAP,
    overscan: 4,
    getItemKey: (i) => ids[i] ?? i,
  });
  const rows = virtualizer.getVirtualItems();
  const padTop = rows[0]?.start ?? 0;
  const padBottom = Math.max(0, virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0));
  const setScrollRef = useCallback(
    (el: HTMLDivElement | null) => {
      scrollRef.current = el;
      setNodeRef(el);
    },
    [setNodeRef],
  );
  return (
    <section className="column" aria-label={name} data-testid="board-column">
      <header>
        <strong>{name}</strong> <span className="muted">{column.stage.probability}%</span>
        <div className="muted" data-testid="column-count">
          {t('pipeline.deals', { count: column.count })}
        </div>
        <div className="column-sums">
          <span data-testid="column-total">{sums(column.total, i18n.language)}</span>
          <span className="muted" data-testid="column-weighted">
            {t('pipeline.weighted')} {sums(column.weighted, i18n.language)}
          </span>
        </div>
      </header>
      <SortableContext id={column.stage.id} items={ids} strategy={verticalListSortingStrategy}>
        <div ref={setScrollRef} className="cards-scroll" data-testid="column-scroll">
          <ol className="cards" style={{ paddingTop: padTop, paddingBottom: padBottom }}>
            {ids.length === 0 && <li className="muted empty-column">{t('pipeline.empty')}</li>}
            {rows.map((row) => {
              const id = ids[row.index]!;
              const card = cards.get(id);
              return card ? (
                <SortableCard
                  key={id}
                  card={card}
                  index={row.index}
                  measure={virtualizer.measureElement}
                  current={id === openId}
                  onOpen={onOpen}
                />
              ) : null;
            })}
          </ol>
        </div>
        {column.count > column.cards.length && (
          <p className="muted small">
            {t('board.more', { count: column.count - column.cards.length })}
          </p>
        )}
      </SortableContext>
    </section>
  );
}

function DropZone({ column, name }: { column: BoardColumn; name: string }) {
  const { t, i18n } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: column.stage.id });
  return (
    <section
      ref={setNodeRef}
      className={`drop-zone ${column.stage.kind}${isOver ? ' over' : ''}`}
      aria-label={name}
    >
      <strong>{name}</strong>
      <div className="muted">
        {t('pipeline.deals', { count: column.count })} · {sums(column.total, i18n.language)}
      </div>
    </section>
  );
}

function SortableCard({
  card,
  index,
  measure,
  current,
  onOpen,
}: {
  card: BoardCard;
  /** Its place in the column, for the virtualizer's measurement. */
  index: number;
  measure(el: Element | null): void;
  current: boolean;
  onOpen(id: string): void;
}) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
  });
  const ref = useCallback(
    (el: HTMLLIElement | null) => {
      setNodeRef(el);
      measure(el);
    },
    [setNodeRef, measure],
  );
  return (
    <li
      ref={ref}
      data-index={index}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={isDragging ? 'dragging' : undefined}
      {...attributes}
      {...listeners}
      aria-roledescription={t('board.card')}
      aria-label={card.name}
      onClick={() => onOpen(card.id)}
      onKeyDown={(e) => {
        listeners?.onKeyDown?.(e);
        if (e.key === 'Enter' && !e.defaultPrevented) onOpen(card.id);
      }}
    >
      <CardView card={card} current={current} />
    </li>
  );
}

const CardView = memo(function CardView({
  card,
  current = false,
  overlay = false,
}: {
  card: BoardCard;
  current?: boolean;
  overlay?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  return (
    <article
      className={[
        'card',
        current ? 'current' : '',
        overlay ? 'overlay' : '',
        card.stale ? 'stale' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      data-testid="board-card"
    >
      {card.accountName && <div className="muted small">{card.accountName}</div>}
      <div className="card-name">{card.name}</div>
      <div className="card-facts">
        <span>{formatMoney(card.amount, card.currency, i18n.language) || '—'}</span>
        {card.expectedClose && <span>{card.expectedClose}</span>}
      </div>
      <div className="card-facts muted small">
        <span>{card.ownerId ? (names.users.get(card.ownerId) ?? '') : ''}</span>
        <span className={card.stale ? 'stale-days' : undefined}>
          {t('board.daysInStage', { count: card.daysInStage })}
          {/* Said in words too, not by colour alone. */}
          {card.stale && <> · {t('board.stale')}</>}
        </span>
      </div>
      {card.nextActivity && (
        <div className="muted small">
          {t('board.next', {
            subject: card.nextActivity.subject,
            date: formatDate(card.nextActivity.dueAt, i18n.language),
          })}
        </div>
      )}
    </article>
  );
});

function OpportunityList({
  columns,
  stageName,
  onOpen,
}: {
  columns: readonly BoardColumn[];
  stageName(s: StageRow): string;
  onOpen(id: string): void;
}) {
  const { t, i18n } = useTranslation();
  const names = useNames();
  return (
    <table className="opportunity-list">
      <thead>
        <tr>
          <th>{t('opportunity.name')}</th>
          <th>{t('opportunity.account')}</th>
          <th>{t('opportunity.stage')}</th>
          <th>{t('opportunity.amount')}</th>
          <th>{t('opportunity.expectedClose')}</th>
          <th>{t('fields.owner_id')}</th>
          <th>{t('board.daysInStageColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {columns.flatMap((c) =>
          c.cards.map((card) => (
            <tr key={card.id} className={card.stale ? 'stale' : undefined}>
              <td>
                <button type="button" className="link" onClick={() => onOpen(card.id)}>
                  {card.name}
                </button>
              </td>
              <td>{card.accountName ?? ''}</td>
              <td>{stageName(c.stage)}</td>
              <td className="num">{formatMoney(card.amount, card.currency, i18n.language)}</td>
              <td>{card.expectedClose ?? ''}</td>
              <td>{card.ownerId ? (names.users.get(card.ownerId) ?? '') : ''}</td>
              <td className="num">{card.daysInStage}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
