import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What dragging needs from the page: the visible bands, where each card is, and the move itself. */
export interface DeskDragTarget {
  /** Entry ids of one visible band (pinned or not), top to bottom. */
  band(pinned: boolean): string[];
  cardRect(entryId: string): DOMRect | undefined;
  /** Moves to `target`, an index in the visible band without the entry. */
  moveTo(entryId: string, pinned: boolean, target: number): void;
}

/** The card being dragged; drops stay within its band. `slot` is where the drop line shows. */
interface DeskDrag {
  entryId: string;
  slot: number | null;
  pinned: boolean;
}

/**
 * Drag-and-drop reordering of desk cards (the card's grip fires `entry-drag-start`): tracks the
 * drop slot under the pointer for the drop line, and on drop turns it into one move in the band.
 * Kept out of the page so the page only wires the list's drag events to it.
 */
export class DeskDragController implements ReactiveController {
  private drag: DeskDrag | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: DeskDragTarget,
  ) {
    host.addController(this);
  }

  /** A page taken out mid-drag gets no dragend: no stale drop line if it comes back. */
  hostDisconnected() {
    this.drag = null;
  }

  /** The row class that draws the drop line: before the slot's card, or after the band's last. */
  rowClass(pinned: boolean, bandIndex: number, bandLength: number): string {
    const d = this.drag;
    if (!d || d.pinned !== pinned) return '';
    if (d.slot === bandIndex) return 'drop-before';
    if (d.slot === bandLength && bandIndex === bandLength - 1) return 'drop-after';
    return '';
  }

  readonly onDragStart = (e: CustomEvent<{ entryId: string }>) => {
    const id = e.detail.entryId;
    const pinned = this.target.band(true).includes(id) ? true : this.target.band(false).includes(id) ? false : null;
    if (pinned !== null) this.set({ entryId: id, slot: null, pinned });
  };

  readonly onDragOver = (e: DragEvent) => {
    const d = this.drag;
    if (!d) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    const rects = this.target.band(d.pinned).map((id) => this.target.cardRect(id)).filter((r): r is DOMRect => !!r);
    const slot = dropSlot(rects, e.clientY);
    if (slot !== d.slot) this.set({ ...d, slot });
  };

  readonly onDrop = (e: DragEvent) => {
    const d = this.drag;
    this.set(null);
    if (!d || d.slot === null) return;
    e.preventDefault();
    const from = this.target.band(d.pinned).indexOf(d.entryId);
    const target = d.slot > from ? d.slot - 1 : d.slot;
    if (target !== from) this.target.moveTo(d.entryId, d.pinned, target);
  };

  /** Fires after a drop and after Esc (native cancel): either way the drop line goes. */
  readonly onDragEnd = () => this.set(null);

  private set(drag: DeskDrag | null) {
    if (drag === this.drag) return;
    this.drag = drag;
    this.host.requestUpdate();
  }
}

/** Slot (0..n) between the cards of one band nearest to pointer y. */
export function dropSlot(rects: DOMRect[], y: number): number {
  for (let i = 0; i < rects.length; i++) {
    const r = rects[i]!;
    if (y < r.top + r.height / 2) return i;
  }
  return rects.length;
}
