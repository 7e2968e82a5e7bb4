import { percent } from '../format';

/** A water-level bar: green below 70%, amber below 90%, red above. */
export function Level({ value, title }: { value: number; title?: string }) {
  const cls = value >= 0.9 ? 'high' : value >= 0.7 ? 'mid' : 'low';
  return (
    <span class="level" title={title ?? percent(value)}>
      <span class={`fill ${cls}`} style={{ width: percent(value) }} />
      <span class="label">{percent(value)}</span>
    </span>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span class={`state state-${state.toLowerCase()}`}>{state}</span>;
}

/** The error of the last action or load, in words; nothing when there is none. */
export function ErrorBanner({ error, onClose }: { error: string | null; onClose?: () => void }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <span>{error}</span>
      {onClose && <button type="button" class="link" onClick={onClose} aria-label="dismiss">×</button>}
    </div>
  );
}
