import { useState } from 'preact/hooks';
import { App, describeError, Explanation, Revision, RevisionDiff, Rollout, RolloutAction, RolloutCluster } from '../api';
import { ErrorBanner, StateBadge } from '../components/Bits';
import { cpu, memory } from '../format';
import { useConsole, useLoad } from '../hooks';

/**
 * One app: desired and ready per cluster, every cluster's verdict from ExplainApp with its effective
 * image and overrides, scale, revisions (and rollback to one) and the staged rollout, all from one
 * app request (plus the revisions); live updates reload it.
 */
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
      <Revisions tenant={tenant} name={name} generation={data.app.generation} app={data.app} onRolledBack={reload} />
      <RolloutPanel tenant={tenant} name={name} rollout={data.rollout ?? null} onChanged={reload} />
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
        <thead><tr><th>cluster</th><th>feasible</th><th>reason</th><th>weight</th><th>fit</th><th>score</th><th>replicas</th><th>desired</th><th>ready</th><th>image there</th><th>overrides</th><th>note</th></tr></thead>
        <tbody>
          {explanation.clusters.map((d) => (
            <tr key={d.cluster} data-cluster={d.cluster} class={d.feasible ? '' : 'infeasible'}>
              <td>{d.cluster}</td><td>{d.feasible ? 'yes' : 'no'}</td><td>{d.reason ?? '-'}</td>
              <td>{d.weight}</td><td>{d.fit}</td><td>{d.score.toFixed(4)}</td><td>{d.replicas}</td>
              <td>{status.get(d.cluster)?.desired ?? 0}</td><td>{status.get(d.cluster)?.ready ?? 0}</td>
              <td class="effective-image">{d.effective ? <code class={d.effective.image === app.image ? '' : 'overridden'} title={d.effective.image === app.image ? 'the spec\'s image' : `overridden: the spec says ${app.image}`}>{d.effective.image}</code> : '-'}</td>
              <td class="overrides">{d.effective && d.effective.appliedOverrides.length > 0 ? d.effective.appliedOverrides.join(', ') : '-'}</td>
              <td>{d.note || '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The app's kept revisions (newest first) and, for two picked ones, what changed between them. */
export function Revisions({ tenant, name, generation, app, onRolledBack }: {
  tenant: string; name: string; generation: number; app?: App; onRolledBack?: () => void;
}) {
  const { api, role, tenant: own } = useConsole();
  const canWrite = app !== undefined && (role === 'platform-admin' || (role === 'tenant-admin' && own === tenant));
  const [immediate, setImmediate] = useState(false);
  const [rollbackError, setRollbackError] = useState<string | null>(null);
  const [rolledBack, setRolledBack] = useState<string | null>(null);
  // Reloaded with the page (live updates) and when the app's generation changes.
  const { data, error } = useLoad((a) => a.revisions(tenant, name), [tenant, name, generation]);
  const [pick, setPick] = useState<{ from: number | null; to: number | null }>({ from: null, to: null });
  const [diff, setDiff] = useState<RevisionDiff | null>(null);
  const [diffError, setDiffError] = useState<string | null>(null);
  const revisions = data?.revisions ?? [];
  // Default pair: the one before the current, and the current.
  const from = pick.from ?? (revisions.length > 1 ? revisions[1].revision : null);
  const to = pick.to ?? (revisions.length > 0 ? revisions[0].revision : null);
  async function rollback(to: number) {
    setRollbackError(null);
    setRolledBack(null);
    if (!window.confirm(`Roll ${tenant}/${name} back to revision ${to}'s template${immediate ? ' on every cluster at once' : ''}?`)) return;
    try {
      const done = await api.rollback(tenant, name, to, immediate, app?.resourceVersion ?? 0);
      setRolledBack(`revision ${done.revision} made from revision ${to}${done.rollout ? ', rolled out by the stages' : ''}`);
      onRolledBack?.();
    } catch (e) {
      setRollbackError(describeError(e));
    }
  }
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
          <thead><tr><th>from</th><th>to</th><th>revision</th><th>generation</th><th>created</th><th>by</th><th>image</th><th>CPU</th><th>memory</th><th>env</th><th>ports</th>{canWrite && <th>rollback</th>}</tr></thead>
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
                {canWrite && <td>{r.revision !== data!.current && <button type="button" onClick={() => rollback(r.revision)}>Roll back to {r.revision}</button>}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && revisions.length > 1 && (
        <label class="hint"><input type="checkbox" checked={immediate} onChange={(e) => setImmediate((e.currentTarget as HTMLInputElement).checked)} /> roll back on every cluster at once (not by the rollout's stages)</label>
      )}
      {rolledBack && <p class="ok" role="status">{rolledBack}</p>}
      <ErrorBanner error={rollbackError} onClose={() => setRollbackError(null)} />
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

/** Which actions a rollout's state allows (RolloutStateMachine: pause while progressing or waiting, resume when paused, ...). */
export function allowedActions(state: string): RolloutAction[] {
  switch (state) {
    case 'PROGRESSING': return ['pause', 'abort'];
    case 'WAITING_APPROVAL': return ['approve', 'pause', 'abort'];
    case 'PAUSED': return ['resume', 'abort'];
    default: return [];
  }
}

const ACTION_LABEL: Record<RolloutAction, string> = { pause: 'Pause', resume: 'Resume', approve: 'Approve', abort: 'Abort' };

/** A progress bar of `n` of `of` (an empty cluster counts as done). */
function Progress({ n, of, label }: { n: number; of: number; label: string }) {
  const f = of <= 0 ? 1 : Math.min(1, n / of);
  return (
    <span class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={of} aria-valuenow={n}>
      <span class="fill" style={{ width: `${Math.round(f * 100)}%` }} />
      <span class="label">{n}/{of}</span>
    </span>
  );
}

/**
 * The app's latest staged rollout: its state and current stage, each stage with its clusters
 * (revision sent and reported, updated / ready / available of desired as bars), and the actions
 * the caller may take (tenant-admins of the app's tenant and platform-admins) and the state allows.
 * Live through the page's reload on every `app` or `rollout` event.
 */
export function RolloutPanel({ tenant, name, rollout, onChanged }: { tenant: string; name: string; rollout: Rollout | null; onChanged: () => void }) {
  const { api, role, tenant: own } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!rollout) return <div class="rollout"><h3>Rollout</h3><p class="hint">No staged rollout: the app has no rollout strategy, or its template has not changed since it got one.</p></div>;
  const r = rollout;
  const canWrite = role === 'platform-admin' || (role === 'tenant-admin' && own === tenant);
  const current = r.stages[r.currentStage];
  const actions = canWrite ? allowedActions(r.state) : [];
  async function act(action: RolloutAction) {
    if (action === 'abort' && !window.confirm(`Abort the rollout of ${tenant}/${name}? Every cluster goes back to revision ${r.fromRevision}.`)) return;
    setError(null);
    setBusy(true);
    try {
      await api.rolloutAction(tenant, name, action, r.rolloutId, action === 'approve' ? current?.name ?? '' : '');
      onChanged();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="rollout" data-testid="rollout" data-state={r.state}>
      <h3>Rollout {r.fromRevision} → {r.toRevision} <StateBadge state={r.state} /></h3>
      <p data-testid="rollout-summary">
        {current ? <>Stage {r.currentStage + 1} of {r.stages.length}: <strong>{current.name}</strong> ({current.state.toLowerCase().replace('_', ' ')})</> : `All ${r.stages.length} stages passed.`}
        {r.message && <> · {r.message}</>}
        <span class="hint"> · started {new Date(r.createdAt).toLocaleString()}{r.createdBy && ` by ${r.createdBy}`}, rollout {r.rolloutId}</span>
      </p>
      {actions.length > 0 && (
        <div class="actions">
          {actions.map((a) => (
            <button type="button" key={a} disabled={busy} onClick={() => act(a)}>
              {a === 'approve' && current ? `Approve stage ${current.name}` : ACTION_LABEL[a]}
            </button>
          ))}
        </div>
      )}
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {r.stages.map((s, i) => (
        <div class={`stage${i === r.currentStage ? ' current' : ''}`} key={s.name} data-stage={s.name} data-stage-state={s.state}>
          <h4>{i + 1}. {s.name} <StateBadge state={s.state} />{' '}
            <span class="hint">{s.gate === 'MANUAL' ? 'manual gate' : 'automatic'}{s.soakSeconds > 0 && `, soak ${s.soakSeconds} s`}{s.readySince > 0 && `, ready since ${new Date(s.readySince).toLocaleTimeString()}`}</span>
          </h4>
          {s.clusters.length === 0 ? <p class="hint">No cluster of this stage runs the app.</p> : (
            <table class="rollout-clusters">
              <thead><tr><th>cluster</th><th>state</th><th>revision</th><th>reported</th><th>updated</th><th>ready</th><th>available</th><th>message</th></tr></thead>
              <tbody>{s.clusters.map((c: RolloutCluster) => (
                <tr key={c.cluster} data-cluster={c.cluster} data-cluster-state={c.state}>
                  <td>{c.cluster}</td><td><StateBadge state={c.state} /></td><td>{c.revision}</td><td>{c.reportedRevision || '-'}</td>
                  <td><Progress n={c.reportedRevision === r.toRevision ? c.updated : 0} of={c.desired} label={`${c.cluster} updated`} /></td>
                  <td><Progress n={c.ready} of={c.desired} label={`${c.cluster} ready`} /></td>
                  <td><Progress n={c.available} of={c.desired} label={`${c.cluster} available`} /></td>
                  <td>{c.message || '-'}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </div>
      ))}
    </div>
  );
}
