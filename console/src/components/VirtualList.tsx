import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/**
 * A list that renders only the rows in view (plus `overscan` on each side), so 1,000 clusters
 * cost a few dozen DOM rows. Rows have a fixed height.
 */
export function VirtualList<T>(props: {
  items: T[]; rowHeight: number; height: number; overscan?: number;
  itemKey: (item: T) => string; render: (item: T) => ComponentChildren; label?: string;
}) {
  const { items, rowHeight, height } = props;
  const overscan = props.overscan ?? 8;
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + overscan);
  return (
    <div class="vlist" role="list" aria-label={props.label} style={{ height: `${height}px`, overflowY: 'auto', position: 'relative' }}
      onScroll={(e) => setTop((e.currentTarget as HTMLDivElement).scrollTop)}>
      <div style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}>
        {items.slice(first, last).map((item, i) => (
          <div role="listitem" key={props.itemKey(item)} class="vrow"
            style={{ position: 'absolute', top: `${(first + i) * rowHeight}px`, height: `${rowHeight}px`, left: 0, right: 0 }}>
            {props.render(item)}
          </div>
        ))}
      </div>
    </div>
  );
}
