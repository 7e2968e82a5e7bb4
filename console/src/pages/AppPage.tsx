import { useState } from 'preact/hooks';
import { App, describeError, Explanation, Revision, RevisionDiff } from '../api';
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
      <Revisions tenant={tenant} name={name} generation={data.app.generation} />
      {/*
        ROLLOUT STATE GOES HERE. Staged rollouts are being built in parallel (another issue); when
        their service exists, add a GET /api/v1/apps/{tenant}/{name}/rollout endpoint in
        ConsoleAppController over it and render the rollout's stages and progress in this place,
        between the revisions (what is being rolled out) and the end of the page.
      */}
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

/** The app's kept revisions (newest first) and, for two picked ones, what changed between them. */
export function Revisions({ tenant, name, generation }: { tenant: string; name: string; generation: number }) {
  const { api } = useConsole();
  // Reloaded with the page (live updates) and when the app's generation changes.
  const { data, error } = useLoad((a) => a.revisions(tenant, name), [tenant, name, generation]);
  const [pick, setPick] = useState<{ from: number | null; to: number | null }>({ from: null, to: null });
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
  const [diffError, setDiffError] = useState<string | null>(null);
  const revisions = data?.revisions ?? [];
  // Default pair: the one before the current, and the current.
  const from = pick.from ?? (revisions.length > 1 ? revisions[1].revision : null);
  const to = pick.to ?? (revisions.length > 0 ? revisions[0].revision : null);
  async function compare() {
    if (from === null || to === null) return;
    setDiffError(null);
    try {
      setDiff(await api.revisionDiff(tenant, name, from, to));
    } catch (e) {
      setDiff(null);
      setDiffError(describeError(e));
    }
  }
  return (
    <div class="revisions">
      <h3>Revisions</h3>
      <ErrorBanner error={error} />
      {data && revisions.length === 0 && <p class="hint">No revisions recorded.</p>}
      {revisions.length > 0 && (
        <table class="revisions" data-testid="revisions">
          <thead><tr><th>from</th><th>to</th><th>revision</th><th>generation</th><th>created</th><th>by</th><th>image</th><th>CPU</th><th>memory</th><th>env</th><th>ports</th></tr></thead>
          <tbody>
            {revisions.map((r: Revision) => (
              <tr key={r.revision} data-revision={r.revision}>
                <td><input type="radio" name="rev-from" aria-label={`from revision ${r.revision}`} checked={from === r.revision} onChange={() => setPick({ from: r.revision, to })} /></td>
                <td><input type="radio" name="rev-to" aria-label={`to revision ${r.revision}`} checked={to === r.revision} onChange={() => setPick({ from, to: r.revision })} /></td>
                <td>{r.revision}{r.revision === data!.current && ' (current)'}</td><td>{r.generation}</td>
                <td>{new Date(r.createdAt).toLocaleString()}</td><td>{r.createdBy || '-'}</td><td><code>{r.image}</code></td>
                <td>{cpu(r.cpuMillis)}</td><td>{memory(r.memoryMiB)}</td>
                <td>{r.env.length ? r.env.map((e) => e.name).join(', ') : '-'}</td>
                <td>{r.ports.length ? r.ports.map((p) => `${p.name || '-'} ${p.containerPort}/${p.protocol || 'TCP'}`).join(', ') : '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revisions.length > 1 && <button type="button" onClick={compare} disabled={from === null || to === null}>Compare revisions</button>}
      <ErrorBanner error={diffError} onClose={() => setDiffError(null)} />
      {diff && (
        <div class="diff" data-testid="revision-diff">
          <p>Revision {diff.from} → {diff.to}: {diff.changes.length === 0 ? 'the same pod template.' : `${diff.changes.length} field(s) changed.`}</p>
          {diff.changes.length > 0 && (
            <table>
              <thead><tr><th>field</th><th>was</th><th>becomes</th></tr></thead>
              <tbody>{diff.changes.map((c) => <tr key={c.path} data-path={c.path}><td><code>{c.path}</code></td><td>{c.from || '(none)'}</td><td>{c.to || '(none)'}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
