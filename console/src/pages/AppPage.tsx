import { useState } from 'preact/hooks';
import { App, describeError, Explanation } from '../api';
import { ErrorBanner } from '../components/Bits';
import { cpu, memory } from '../format';
import { useConsole, useLoad } from '../hooks';

/** One app: desired and ready per cluster, every cluster's verdict from ExplainApp, and scale. */
export function AppPage({ tenant, name }: { tenant: string; name: string }) {
  const { data, error, reload } = useLoad((a) => a.app(tenant, name), [tenant, name]);
  if (!data) return <section><h2>App {tenant}/{name}</h2><ErrorBanner error={error} />{!error && <p>Loading…</p>}</section>;
  return (
    <section>
      <h2>App {tenant}/{name}</h2>
      <ErrorBanner error={error} />
      <AppSummary app={data.app} />
      <ScaleForm app={data.app} onScaled={reload} />
      <Verdicts app={data.app} explanation={data.explanation} />
    </section>
  );
}

function AppSummary({ app }: { app: App }) {
  return (
    <dl class="facts">
      <dt>image</dt><dd>{app.image}</dd>
      <dt>replicas</dt><dd data-testid="app-replicas">{app.replicas} wanted, {app.desired} placed, {app.ready} ready{app.unschedulable > 0 && <span class="warn"> · {app.unschedulable} unschedulable: {app.unschedulableReason}</span>}</dd>
      <dt>per replica</dt><dd>{cpu(app.cpuMillis)} CPU, {memory(app.memoryMiB)}</dd>
      <dt>policy</dt><dd>{app.type}</dd>
      <dt>generation</dt><dd>{app.generation} (observed {app.observedGeneration})</dd>
      {app.conditions.map((c) => <><dt key={c.type}>{c.type}</dt><dd>{c.status} {c.reason} {c.message}</dd></>)}
    </dl>
  );
}

export function ScaleForm({ app, onScaled }: { app: App; onScaled: () => void }) {
  const { api, role, tenant } = useConsole();
  const [replicas, setReplicas] = useState(String(app.replicas));
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const canWrite = role === 'platform-admin' || (role === 'tenant-admin' && tenant === app.tenant);
  if (!canWrite) return null;
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    const n = Number(replicas);
    if (!Number.isInteger(n) || n < 0) { setError(`replicas must be a whole number of at least 0, got "${replicas}"`); return; }
    try {
      const after = await api.scale(app.tenant, app.name, n, app.resourceVersion);
      setDone(`scaled to ${after.replicas}`);
      onScaled();
    } catch (err) {
      setError(describeError(err));
    }
  }
  return (
    <form class="inline" onSubmit={submit}>
      <label>Replicas <input name="replicas" value={replicas} size={5} onInput={(e) => setReplicas((e.currentTarget as HTMLInputElement).value)} /></label>
      <button type="submit">Scale</button>
      {done && <span class="ok" role="status"> {done}</span>}
      <ErrorBanner error={error} onClose={() => setError(null)} />
    </form>
  );
}

/** Every cluster's verdict, with desired and ready replicas from the app's status beside it. */
export function Verdicts({ app, explanation }: { app: App; explanation: Explanation }) {
  const status = new Map(app.clusters.map((c) => [c.cluster, c]));
  return (
    <>
      <h3>Why it runs where it runs</h3>
      {explanation.unschedulable > 0 && <p class="warn">{explanation.unschedulable} replicas unschedulable: {explanation.unschedulableReason}</p>}
      <table class="verdicts">
        <thead><tr><th>cluster</th><th>feasible</th><th>reason</th><th>weight</th><th>fit</th><th>score</th><th>replicas</th><th>desired</th><th>ready</th><th>note</th></tr></thead>
        <tbody>
          {explanation.clusters.map((d) => (
            <tr key={d.cluster} data-cluster={d.cluster} class={d.feasible ? '' : 'infeasible'}>
              <td>{d.cluster}</td><td>{d.feasible ? 'yes' : 'no'}</td><td>{d.reason ?? '-'}</td>
              <td>{d.weight}</td><td>{d.fit}</td><td>{d.score.toFixed(4)}</td><td>{d.replicas}</td>
              <td>{status.get(d.cluster)?.desired ?? 0}</td><td>{status.get(d.cluster)?.ready ?? 0}</td><td>{d.note || '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
