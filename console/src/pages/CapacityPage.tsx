import { useState } from 'preact/hooks';
import { ErrorBanner, Level } from '../components/Bits';
import { cpu, memory, waterLevel } from '../format';
import { useLoad } from '../hooks';

const GROUPINGS = ['region', 'idc', 'tier', 'provider', 'zone', 'cluster'];

/** Water-level roll-ups from CapacityService.GetWaterLevels (platform-admin). */
export function CapacityPage() {
  const [by, setBy] = useState('region');
  const { data, error } = useLoad((a) => a.capacity(by), [by]);
  return (
    <section>
      <h2>Capacity</h2>
      <p class="hint">Would a change fit? <a href="#/what-if">Ask a what-if</a> (scale or create apps, lose clusters); planning a peak event: <a href="#/peak-events">peak events</a>.</p>
      <label>group by <select value={by} onChange={(e) => setBy((e.currentTarget as HTMLSelectElement).value)} aria-label="group by">
        {GROUPINGS.map((g) => <option key={g}>{g}</option>)}</select></label>
      <ErrorBanner error={error} />
      {data && (
        <table class="levels">
          <thead><tr><th>{data.by}</th><th>clusters</th><th>ready</th><th>CPU free</th><th>memory free</th><th>pods free</th><th>water level</th></tr></thead>
          <tbody>
            {[...data.levels, { ...data.total, key: 'total' }].map((l) => (
              <tr key={l.key} data-key={l.key}>
                <td>{l.key || '(none)'}</td><td>{l.clusterCount}</td><td>{l.readyCount}</td>
                <td>{cpu(l.free.cpuMillis)} / {cpu(l.allocatable.cpuMillis)}</td>
                <td>{memory(l.free.memoryMiB)} / {memory(l.allocatable.memoryMiB)}</td>
                <td>{l.free.pods}</td><td><Level value={waterLevel(l.requested, l.allocatable)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
