import { useState } from 'preact/hooks';
import { describeError, DryRun, Plan, PlanSpec, PlanTarget } from '../api';
import { ErrorBanner, StateBadge } from '../components/Bits';
import { VirtualList } from '../components/VirtualList';
import { useConsole, useLoad } from '../hooks';
import { ClusterLevels } from './WhatIfPage';

/** One target line of the form: an app (or a name pattern, or the whole tenant) and its peak. */
export interface TargetRow { tenant: string; app: string; peak: string }

export interface PlanForm {
  name: string; start: string; hours: string; rampSteps: string; rampStepSeconds: string;
  maxCloudReplicas: string; maxCloudCostPerHour: string; raiseTenantQuotas: boolean; targets: TargetRow[];
}

/** `datetime-local` text for an instant, in the browser's time zone. */
export function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

/**
 * The form as a plan spec. `peak` is a replica count ("40") or a multiplier ("x3", "3x", "×2.5");
 * `app` an app name, a pattern with * or ?, or empty for every app of the tenant. Returns a
 * sentence naming the field when something cannot be read at all; the server checks the rest.
 */
export function toSpec(f: PlanForm, now: number): PlanSpec | string {
  const start = f.start.trim() === '' ? now : new Date(f.start).getTime();
  if (!Number.isFinite(start)) return `spec.window.start: not a date and time, got "${f.start}"`;
  const hours = Number(f.hours);
  if (f.hours.trim() === '' || !Number.isFinite(hours) || hours <= 0) return `spec.window.end: the duration must be a number of hours above 0, got "${f.hours}"`;
  const targets: PlanTarget[] = [];
  for (const [i, t] of f.targets.entries()) {
    const p = t.peak.trim();
    const m = /^(?:[x×]\s*([0-9.]+)|([0-9.]+)\s*[x×])$/i.exec(p);
    const app = t.app.trim();
    const target: PlanTarget = { tenant: t.tenant.trim() };
    if (/[*?]/.test(app)) target.appPattern = app; else if (app) target.app = app;
    if (m) target.multiplier = Number(m[1] ?? m[2]);
    else if (/^\d+$/.test(p)) target.peakReplicas = Number(p);
    else return `spec.targets[${i}].peak_replicas: give a replica count (40) or a multiplier (x3), got "${t.peak}"`;
    targets.push(target);
  }
  const opt = (v: string, field: string): number | null | string => {
    if (v.trim() === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : `spec.budget.${field}: must be a number, got "${v}"`;
  };
  const maxReplicas = opt(f.maxCloudReplicas, 'max_cloud_replicas');
  if (typeof maxReplicas === 'string') return maxReplicas;
  const maxCost = opt(f.maxCloudCostPerHour, 'max_cloud_cost_per_hour');
  if (typeof maxCost === 'string') return maxCost;
  return {
    window: {
      start, end: start + Math.round(hours * 3600_000),
      rampSteps: Number(f.rampSteps || '0'), rampStepSeconds: Number(f.rampStepSeconds || '0'),
    },
    targets,
    budget: { maxCloudReplicas: maxReplicas, maxCloudCostPerHour: maxCost },
    raiseTenantQuotas: f.raiseTenantQuotas,
  };
}

const PLAN_ROW = 34;

/** Peak events: the burst plans, a form to dry-run or create one (platform-admin). */
export function PeakEventsPage() {
  const { navigate } = useConsole();
  const [pages, setPages] = useState<string[]>(['']);
  const token = pages[pages.length - 1];
  const { data, error, reload } = useLoad((a) => a.plans(token), [token]);
  const plans = data?.plans ?? [];
  return (
    <section>
      <h2>Peak events</h2>
      <ErrorBanner error={error} />
      <PlanEditor onCreated={(p) => { reload(); navigate(`/peak-events/${encodeURIComponent(p.name)}`); }} />
      <h3>Plans</h3>
      {data && plans.length === 0 && <p class="hint">No burst plans yet.</p>}
      {plans.length > 0 && <>
        <div class="row head plans"><span>plan</span><span>state</span><span>steps</span><span>cloud replicas</span><span>window</span></div>
        <VirtualList label="burst plans" items={plans} rowHeight={PLAN_ROW} height={Math.min(420, PLAN_ROW * plans.length)} itemKey={(p) => p.name}
          render={(p: Plan) => (
            <div class="row plans" data-plan={p.name}>
              <a href={`#/peak-events/${encodeURIComponent(p.name)}`} onClick={(e) => { e.preventDefault(); navigate(`/peak-events/${encodeURIComponent(p.name)}`); }}>{p.name}</a>
              <StateBadge state={p.state} />
              <span>{p.progress.stepsApplied}/{p.progress.steps}</span>
              <span>{p.progress.cloudReplicas}</span>
              <span>{new Date(p.spec.window.start).toLocaleString()} – {new Date(p.spec.window.end).toLocaleString()}</span>
            </div>
          )} />
      </>}
      <p class="pager">
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!data?.nextPageToken} onClick={() => data && setPages([...pages, data.nextPageToken])}>Next</button>
      </p>
    </section>
  );
}

/** The plan form: dry run (changes nothing) or create (the runner starts it when its window starts). */
export function PlanEditor({ onCreated, now = () => Date.now() }: { onCreated: (p: Plan) => void; now?: () => number }) {
  const { api } = useConsole();
  const [f, setF] = useState<PlanForm>({
    name: '', start: '', hours: '2', rampSteps: '1', rampStepSeconds: '0', maxCloudReplicas: '', maxCloudCostPerHour: '',
    raiseTenantQuotas: false, targets: [{ tenant: '', app: '', peak: '' }],
  });
  const [error, setError] = useState<string | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof PlanForm) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  const setTarget = (i: number, k: keyof TargetRow) => (e: Event) =>
    setF({ ...f, targets: f.targets.map((t, j) => (j === i ? { ...t, [k]: (e.currentTarget as HTMLInputElement).value } : t)) });

  async function act(kind: 'dry' | 'create') {
    setError(null);
    const spec = toSpec(f, now());
    if (typeof spec === 'string') { setError(spec); return; }
    setBusy(true);
    try {
      if (kind === 'dry') setDry(await api.dryRun('', spec));
      else onCreated(await api.createPlan(f.name.trim(), spec));
    } catch (err) {
      if (kind === 'dry') setDry(null);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="plan" onSubmit={(e) => { e.preventDefault(); act('dry'); }}>
      <div class="fields">
        <label>plan name <input name="plan-name" value={f.name} onInput={set('name')} placeholder="singles-day" /></label>
        <label>starts <input name="start" type="datetime-local" value={f.start} onInput={set('start')} /> <span class="hint">empty: now</span></label>
        <label>lasts (hours) <input name="hours" value={f.hours} size={4} onInput={set('hours')} /></label>
        <label>ramp steps <input name="rampSteps" value={f.rampSteps} size={3} onInput={set('rampSteps')} /></label>
        <label>seconds between steps <input name="rampStepSeconds" value={f.rampStepSeconds} size={5} onInput={set('rampStepSeconds')} /></label>
        <label>max cloud replicas <input name="maxCloudReplicas" value={f.maxCloudReplicas} size={5} onInput={set('maxCloudReplicas')} placeholder="no limit" /></label>
        <label>max cloud cost / hour <input name="maxCloudCostPerHour" value={f.maxCloudCostPerHour} size={6} onInput={set('maxCloudCostPerHour')} placeholder="no limit" /></label>
        <label><input type="checkbox" name="raiseTenantQuotas" checked={f.raiseTenantQuotas} onChange={(e) => setF({ ...f, raiseTenantQuotas: (e.currentTarget as HTMLInputElement).checked })} /> raise tenant quotas for the window</label>
      </div>
      <table class="targets">
        <thead><tr><th>tenant</th><th>app (name, pattern with * ?, or empty: all)</th><th>peak (replicas, or x3)</th><th /></tr></thead>
        <tbody>
          {f.targets.map((t, i) => (
            <tr key={i}>
              <td><input aria-label={`target ${i + 1} tenant`} value={t.tenant} size={10} onInput={setTarget(i, 'tenant')} /></td>
              <td><input aria-label={`target ${i + 1} app`} value={t.app} size={18} onInput={setTarget(i, 'app')} /></td>
              <td><input aria-label={`target ${i + 1} peak`} value={t.peak} size={6} onInput={setTarget(i, 'peak')} /></td>
              <td>{f.targets.length > 1 && <button type="button" class="link" aria-label={`remove target ${i + 1}`} onClick={() => setF({ ...f, targets: f.targets.filter((_, j) => j !== i) })}>×</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="actions">
        <button type="button" onClick={() => setF({ ...f, targets: [...f.targets, { tenant: '', app: '', peak: '' }] })}>Add a target</button>
        <button type="submit" disabled={busy}>Dry run</button>
        <button type="button" disabled={busy} onClick={() => act('create')}>Create plan</button>
      </p>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {dry && <DryRunResult dry={dry} />}
    </form>
  );
}

/** What a plan would do at its peak: totals, per app IDC and cloud shares, quota hits, limits hit. */
export function DryRunResult({ dry }: { dry: DryRun }) {
  return (
    <div class="dryrun" data-testid="dry-run">
      <p role="status" class={dry.unschedulable > 0 ? 'warn' : 'ok'}>
        At the peak: {dry.idcReplicas} replicas in IDCs, {dry.cloudReplicas} in cloud ({dry.cloudCostPerHour.toFixed(2)} per hour)
        {dry.unschedulable > 0 ? `, ${dry.unschedulable} unschedulable` : ', everything placed'}.
      </p>
      {dry.notes.map((n) => <p key={n} class="warn">{n}</p>)}
      {dry.quotaHits.length > 0 && (
        <ul class="quota-hits">
          {dry.quotaHits.map((h) => <li key={`${h.tenant}/${h.resource}`}>tenant {h.tenant}: {h.resource} needs {h.needed}, quota {h.quota}{h.raised ? ' (raised for the window)' : ' (not raised: the excess is refused)'}</li>)}
        </ul>
      )}
      <h4>Clusters now and at the peak ({dry.clusters.length} changed)</h4>
      <ClusterLevels levels={dry.clusters} labels={['now', 'at the peak']} />
      <table class="dryrun-apps">
        <thead><tr><th>app</th><th>now → peak</th><th>IDC</th><th>cloud</th><th>unschedulable</th><th>cost / hour</th><th>placement at the peak</th></tr></thead>
        <tbody>
          {dry.apps.map((a) => (
            <tr key={`${a.tenant}/${a.app}`} data-app={`${a.tenant}/${a.app}`}>
              <td>{a.tenant}/{a.app}</td><td>{a.currentReplicas} → {a.peakReplicas}</td><td>{a.idcReplicas}</td><td>{a.cloudReplicas}</td>
              <td>{a.unschedulable > 0 ? `${a.unschedulable}: ${a.unschedulableReason}` : 0}</td><td>{a.cloudCostPerHour.toFixed(2)}</td>
              <td>{Object.entries(a.placement).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(', ') || '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One plan: state and reason, ramp progress, per-target progress, its events; cancel. Live. */
export function PlanPage({ name }: { name: string }) {
  const { api, role } = useConsole();
  const { data, error, reload } = useLoad((a) => a.plan(name), [name]);
  const [actionError, setActionError] = useState<string | null>(null);
  const [dry, setDry] = useState<DryRun | null>(null);
  if (!data) return <section><h2>Peak event {name}</h2><ErrorBanner error={error} />{!error && <p>Loading…</p>}</section>;
  const p = data.plan;
  const finished = ['DONE', 'CANCELLED', 'FAILED'].includes(p.state);
  async function cancel() {
    if (!confirm(`Cancel ${name}? Apps it scaled go back to their counts before the event.`)) return;
    setActionError(null);
    try { await api.cancelPlan(name); reload(); } catch (e) { setActionError(describeError(e)); }
  }
  async function dryRun() {
    setActionError(null);
    try { setDry(await api.dryRun(name, null)); } catch (e) { setActionError(describeError(e)); }
  }
  return (
    <section>
      <h2>Peak event {p.name} <StateBadge state={p.state} /></h2>
      <ErrorBanner error={error} />
      <ErrorBanner error={actionError} onClose={() => setActionError(null)} />
      <dl class="facts">
        <dt>why</dt><dd data-testid="plan-reason">{p.reason}</dd>
        <dt>window</dt><dd>{new Date(p.spec.window.start).toLocaleString()} – {new Date(p.spec.window.end).toLocaleString()}, {Math.max(1, p.spec.window.rampSteps)} step(s){p.spec.window.rampSteps > 1 ? ` every ${p.spec.window.rampStepSeconds}s` : ''}</dd>
        <dt>ramp</dt><dd data-testid="plan-steps"><progress max={p.progress.steps} value={p.progress.stepsApplied} /> {p.progress.stepsApplied} of {p.progress.steps} steps</dd>
        <dt>cloud</dt><dd>{p.progress.cloudReplicas} replicas, {p.progress.cloudCostPerHour.toFixed(2)} per hour
          {p.spec.budget?.maxCloudReplicas != null && `, at most ${p.spec.budget.maxCloudReplicas} replicas`}
          {p.spec.budget?.maxCloudCostPerHour != null && `, at most ${p.spec.budget.maxCloudCostPerHour} per hour`}</dd>
        <dt>created</dt><dd>by {p.createdBy} at {new Date(p.createdAt).toLocaleString()}{p.cancelRequested && ' · cancel requested'}</dd>
      </dl>
      {role === 'platform-admin' && (
        <p class="actions">
          <button type="button" onClick={dryRun}>Dry run now</button>
          {!finished && !p.cancelRequested && <button type="button" onClick={cancel}>Cancel plan</button>}
        </p>
      )}
      {dry && <DryRunResult dry={dry} />}
      <h3>Targets</h3>
      {p.progress.targets.length === 0
        ? <p class="hint">Targets: {p.spec.targets.map((t) => `${t.tenant}/${t.app || t.appPattern || '*'} → ${t.peakReplicas ?? `x${t.multiplier}`}`).join(', ')} (progress appears when the window starts)</p>
        : (
          <table class="plan-targets">
            <thead><tr><th>app</th><th>before</th><th>set now</th><th>peak</th><th>cloud</th><th>note</th></tr></thead>
            <tbody>
              {p.progress.targets.map((t) => (
                <tr key={`${t.tenant}/${t.app}`} data-target={`${t.tenant}/${t.app}`}>
                  <td>{t.tenant}/{t.app}</td><td>{t.originalReplicas}</td><td>{t.appliedReplicas}</td><td>{t.peakReplicas}</td><td>{t.cloudReplicas}</td>
                  <td>{t.skippedReason || (t.userOwned ? 'changed by a user: left alone' : t.restored ? 'restored' : '-')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <h3>Events</h3>
      <ol class="events" data-testid="plan-events">
        {data.events.map((e, i) => <li key={i}><time>{new Date(e.at).toLocaleTimeString()}</time> <strong>{e.kind}</strong> {e.message}</li>)}
      </ol>
    </section>
  );
}
