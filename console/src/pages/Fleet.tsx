import { useMemo, useState } from 'preact/hooks';
import { Cluster } from '../api';
import { ErrorBanner, Level, StateBadge } from '../components/Bits';
import { VirtualList } from '../components/VirtualList';
import { countByState, cpu, fleetRows, memory, percent, Row, waterLevel } from '../format';
import { useConsole, useLoad } from '../hooks';

/** Every cluster by region, IDC and tier with its state and water level, in one request. */
export function Fleet() {
  const { navigate } = useConsole();
  const { data, error } = useLoad((api) => api.clusters(), []);
  const [filter, setFilter] = useState('');
  const clusters = data?.clusters ?? [];
  const rows = useMemo(() => fleetRows(clusters, filter), [clusters, filter]);
  const states = countByState(clusters);
  return (
    <section>
      <h2>Fleet</h2>
      <ErrorBanner error={error} />
      {!data && !error && <p>Loading…</p>}
      <p class="summary" data-testid="fleet-summary">
        {clusters.length} clusters{Object.entries(states).map(([s, n]) => <span key={s}> · <StateBadge state={s} /> {n}</span>)}
      </p>
      <input class="filter" placeholder="filter: name, state or label (region=east)" value={filter}
        onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} aria-label="filter clusters" />
      <div class="row head"><span>cluster</span><span>state</span><span>CPU free</span><span>memory free</span><span>pods free</span><span>water level</span></div>
      <VirtualList label="clusters" items={rows} rowHeight={34} height={560} itemKey={(r) => r.key}
        render={(r: Row) => r.kind === 'group'
          ? <div class="row group">
              <span>{r.region || '(no region)'} / {r.idc || '(no idc)'} / {r.tier}</span>
              <span>{r.ready}/{r.count} ready</span><span /><span /><span />
              <Level value={r.level} />
            </div>
          : <ClusterRow c={r.cluster} onOpen={() => navigate(`/clusters/${encodeURIComponent(r.cluster.name)}`)} />} />
    </section>
  );
}

function ClusterRow({ c, onOpen }: { c: Cluster; onOpen: () => void }) {
  const level = waterLevel(c.requested, c.allocatable);
  return (
    <div class="row cluster" data-cluster={c.name}>
      <a href={`#/clusters/${encodeURIComponent(c.name)}`} onClick={(e) => { e.preventDefault(); onOpen(); }}>{c.name}</a>
      <StateBadge state={c.state} />
      <span>{cpu(c.free.cpuMillis)} / {cpu(c.allocatable.cpuMillis)}</span>
      <span>{memory(c.free.memoryMiB)} / {memory(c.allocatable.memoryMiB)}</span>
      <span>{c.free.pods}</span>
      <Level value={level} title={`CPU ${percent(c.requested.cpuMillis / Math.max(1, c.allocatable.cpuMillis))}, memory ${percent(c.requested.memoryMiB / Math.max(1, c.allocatable.memoryMiB))} requested`} />
    </div>
  );
}
