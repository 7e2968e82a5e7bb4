import { useState } from 'preact/hooks';
import { describeError } from '../api';
import { ErrorBanner, Level, StateBadge } from '../components/Bits';
import { CapacityChart } from '../components/CapacityChart';
import { cpu, memory, waterLevel } from '../format';
import { useConsole, useLoad } from '../hooks';

/** One cluster: capacity now and over time, the apps on it, and the operator's marks. */
export function ClusterPage({ name }: { name: string }) {
  const { api, role, navigate } = useConsole();
  const { data, error, reload } = useLoad((a) => a.cluster(name), [name]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!data) return <section><h2>Cluster {name}</h2><ErrorBanner error={error} />{!error && <p>Loading…</p>}</section>;
  const c = data.cluster;
  async function mark(action: 'cordon' | 'uncordon' | 'drain') {
    if (action === 'drain' && !confirm(`Drain ${name}? Its replicas move to other clusters.`)) return;
    setActionError(null);
    try {
      // No precondition: a mark is the operator's intent for the cluster as it is now (as
      // kubectl cordon), and the page's copy may be a moment behind a mark it just made.
      const after = await api.mark(name, action, 0);
      setDone(`${action}: ${name} is now ${after.state}`);
      reload();
    } catch (e) {
      setActionError(describeError(e));
    }
  }
  return (
    <section>
      <h2>Cluster {c.name} <StateBadge state={c.state} /></h2>
      <ErrorBanner error={error} />
      <ErrorBanner error={actionError} onClose={() => setActionError(null)} />
      {done && <p class="ok" role="status">{done}</p>}
      <dl class="facts">
        <dt>labels</dt><dd>{Object.entries(c.labels).map(([k, v]) => <code key={k}>{k}={v} </code>)}</dd>
        <dt>CPU</dt><dd>{cpu(c.requested.cpuMillis)} of {cpu(c.allocatable.cpuMillis)} requested</dd>
        <dt>memory</dt><dd>{memory(c.requested.memoryMiB)} of {memory(c.allocatable.memoryMiB)} requested</dd>
        <dt>pods</dt><dd>{c.requested.pods} of {c.allocatable.pods}</dd>
        <dt>water level</dt><dd><Level value={waterLevel(c.requested, c.allocatable)} /></dd>
        <dt>cost</dt><dd>{c.costPerCpuHour} per CPU-hour</dd>
        <dt>agent</dt><dd>{c.agentVersion || '-'} (Kubernetes {c.kubernetesVersion || '-'}), last heartbeat {c.lastHeartbeat ? new Date(c.lastHeartbeat).toLocaleTimeString() : 'never'}</dd>
      </dl>
      {role === 'platform-admin' && (
        <p class="actions">
          <button type="button" onClick={() => mark('cordon')}>Cordon</button>
          <button type="button" onClick={() => mark('uncordon')}>Uncordon</button>
          <button type="button" onClick={() => mark('drain')}>Drain</button>
        </p>
      )}
      <h3>Capacity over time</h3>
      <CapacityChart samples={data.history} />
      <h3>Apps on {c.name} ({data.apps.length})</h3>
      <table>
        <thead><tr><th>app</th><th>desired</th><th>ready</th><th>CPU per replica</th><th>memory per replica</th></tr></thead>
        <tbody>
          {data.apps.map((a) => (
            <tr key={`${a.tenant}/${a.name}`}>
              <td><a href={`#/apps/${a.tenant}/${a.name}`} onClick={(e) => { e.preventDefault(); navigate(`/apps/${a.tenant}/${a.name}`); }}>{a.tenant}/{a.name}</a></td>
              <td>{a.desired}</td><td>{a.ready}</td><td>{cpu(a.cpuMillis)}</td><td>{memory(a.memoryMiB)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
