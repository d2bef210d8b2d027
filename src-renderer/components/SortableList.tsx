// A list the user reorders by dragging a handle — with the mouse, or with the keyboard
// (Space to pick up, arrows to move, Space to drop) — and hears each move announced.
// Rule lists (scoring, assignment) use it; order is what they mean.
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface SortableListProps<T> {
  items: readonly T[];
  /** A key that stays with the item while it moves. */
  idOf(item: T): string;
  /** What the handle and the announcements call an item. */
  labelOf(item: T): string;
  onReorder(items: T[]): void;
  children(item: T, index: number): ReactNode;
  className?: string;
}

export function SortableList<T>({
  items,
  idOf,
  labelOf,
  onReorder,
  children,
  className,
}: SortableListProps<T>) {
  const { t } = useTranslation();
  const sensors = useSensors(
    // A few pixels before a drag starts: clicks on the handle stay clicks.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = items.map(idOf);
  const label = (id: UniqueIdentifier) => {
    const i = ids.indexOf(String(id));
    return i >= 0 ? labelOf(items[i]!) : String(id);
  };
  const where = (id: UniqueIdentifier | undefined) => ({
    position: id === undefined ? 0 : ids.indexOf(String(id)) + 1,
    count: ids.length,
  });
  const announcements: Announcements = {
    onDragStart: ({ active }) =>
      t('sortable.picked', { name: label(active.id), ...where(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? t('sortable.moved', { name: label(active.id), ...where(over.id) }) : undefined,
    onDragEnd: ({ active, over }) =>
      t('sortable.dropped', { name: label(active.id), ...where(over?.id ?? active.id) }),
    onDragCancel: ({ active }) => t('sortable.cancelled', { name: label(active.id) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onReorder(arrayMove([...items], ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: { draggable: t('sortable.instructions') },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ol className={`sortable-list ${className ?? ''}`}>
          {items.map((item, i) => (
            <SortableItem
              key={ids[i]}
              id={ids[i]!}
              handleLabel={t('sortable.handle', { name: labelOf(item) })}
            >
              {children(item, i)}
            </SortableItem>
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableItem({
  id,
  handleLabel,
  children,
}: {
  id: string;
  handleLabel: string;
  children: ReactNode;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({
    id,
  });
  return (
    <li
      ref={setNodeRef}
      className={`sortable-item${isDragging ? ' dragging' : ''}`}
      style={{ transform: CSS.Translate.toString(transform), transition }}
    >
      <button
        type="button"
        className="drag-handle"
        aria-label={handleLabel}
        title={handleLabel}
        {...attributes}
        {...listeners}
      >
        ⠿
      </button>
      <div className="sortable-body">{children}</div>
    </li>
  );
}
