import { useState } from 'preact/hooks';
import { describeError, NewApp, WhatIfAnswer, WhatIfClusterLevel, WhatIfScale } from '../api';
import { ErrorBanner, Level } from '../components/Bits';
import { VirtualList } from '../components/VirtualList';
import { cpu, memory, waterLevel } from '../format';
import { useConsole } from '../hooks';

/** One line of the apps form: an existing app at a new count, or a new app. */
export interface ChangeRow {
  kind: 'scale' | 'create'; tenant: string; name: string; replicas: string;
  image: string; cpuMillis: string; memoryMiB: string; type: string;
}

const emptyRow = (tenant: string): ChangeRow => ({
  kind: 'scale', tenant, name: '', replicas: '', image: 'registry.example/web:1.0', cpuMillis: '500', memoryMiB: '512', type: 'DIVIDED',
});

/**
 * The form's rows as the what-if request. Numbers are sent as typed (the server names a bad one);
 * only text that is not a number at all is refused here, naming the row's field as the server would.
 */
export function toRequest(rows: ChangeRow[]): { scales: WhatIfScale[]; creates: NewApp[] } | string {
  const scales: WhatIfScale[] = [];
  const creates: NewApp[] = [];
  for (const r of rows) {
    const list = r.kind === 'scale' ? 'scales' : 'creates';
    const index = r.kind === 'scale' ? scales.length : creates.length;
    const num = (field: string, v: string): number | string => {
      const n = Number(v.trim());
      return v.trim() === '' || !Number.isFinite(n) ? `${list}[${index}].${field}: must be a number, got "${v}"` : n;
    };
    const replicas = num('replicas', r.replicas);
    if (typeof replicas === 'string') return replicas;
    if (r.kind === 'scale') {
      scales.push({ tenant: r.tenant.trim(), name: r.name.trim(), replicas });
    } else {
      const c = num('spec.cpuMillis', r.cpuMillis);
      if (typeof c === 'string') return c;
      const m = num('spec.memoryMiB', r.memoryMiB);
      if (typeof m === 'string') return m;
      creates.push({ tenant: r.tenant.trim(), name: r.name.trim(), image: r.image.trim(), replicas, cpuMillis: c, memoryMiB: m, type: r.type });
    }
  }
  return { scales, creates };
}

/** What-if: scale or create apps, or lose clusters, on a copy of the live state (nothing changes). */
export function WhatIfPage() {
  const { api, role, tenant } = useConsole();
  const [mode, setMode] = useState<'apps' | 'loss'>('apps');
  const [rows, setRows] = useState<ChangeRow[]>([emptyRow(tenant ?? '')]);
  const [lose, setLose] = useState({ clusters: '', idc: '' });
  const [answer, setAnswer] = useState<WhatIfAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const admin = role === 'platform-admin';
  const setRow = (i: number, k: keyof ChangeRow) => (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement).value;
    setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  };

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    let call: Promise<WhatIfAnswer>;
    if (mode === 'apps') {
      const req = toRequest(rows);
      if (typeof req === 'string') { setError(req); return; }
      call = api.whatIfApps(req.scales, req.creates);
    } else {
      const names = lose.clusters.split(/[\s,]+/).filter(Boolean);
      call = api.whatIfClusterLoss(names, lose.idc.trim());
    }
    setBusy(true);
    try {
      setAnswer(await call);
    } catch (err) {
      setAnswer(null);
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h2>What if</h2>
      <p class="hint">Answered by the reconciler's own placement code on a copy of the live state: nothing is changed.</p>
      <form class="whatif" onSubmit={submit}>
        <label>question <select name="mode" value={mode} onChange={(e) => { setMode((e.currentTarget as HTMLSelectElement).value as 'apps' | 'loss'); setAnswer(null); setError(null); }}>
          <option value="apps">scale or create apps</option>
          {admin && <option value="loss">lose clusters</option>}
        </select></label>
        {mode === 'apps' && (
          <table class="changes">
            <thead><tr><th>change</th><th>tenant</th><th>app</th><th>replicas</th><th>image</th><th>CPU (m)</th><th>memory (MiB)</th><th>policy</th><th /></tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-row={i}>
                  <td><select aria-label={`change ${i + 1}`} value={r.kind} onChange={setRow(i, 'kind')}><option value="scale">scale</option><option value="create">create</option></select></td>
                  <td><input aria-label={`tenant ${i + 1}`} value={r.tenant} size={10} onInput={setRow(i, 'tenant')} /></td>
                  <td><input aria-label={`app ${i + 1}`} value={r.name} size={14} onInput={setRow(i, 'name')} /></td>
                  <td><input aria-label={`replicas ${i + 1}`} value={r.replicas} size={5} onInput={setRow(i, 'replicas')} /></td>
                  {r.kind === 'create' ? <>
                    <td><input aria-label={`image ${i + 1}`} value={r.image} size={22} onInput={setRow(i, 'image')} /></td>
                    <td><input aria-label={`cpu ${i + 1}`} value={r.cpuMillis} size={5} onInput={setRow(i, 'cpuMillis')} /></td>
                    <td><input aria-label={`memory ${i + 1}`} value={r.memoryMiB} size={5} onInput={setRow(i, 'memoryMiB')} /></td>
                    <td><select aria-label={`policy ${i + 1}`} value={r.type} onChange={setRow(i, 'type')}><option>DIVIDED</option><option>DUPLICATED</option><option>AGGREGATED</option></select></td>
                  </> : <td colSpan={4} class="hint">the app's own spec, at the new count</td>}
                  <td>{rows.length > 1 && <button type="button" class="link" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`remove ${i + 1}`}>×</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {mode === 'apps' && <button type="button" onClick={() => setRows([...rows, emptyRow(tenant ?? '')])}>Add a change</button>}
        {mode === 'loss' && <>
          <label>clusters <input name="clusters" value={lose.clusters} placeholder="idc-bj-1, idc-sh-1" onInput={(e) => setLose({ ...lose, clusters: (e.currentTarget as HTMLInputElement).value })} /></label>
          <label>or every cluster of IDC <input name="idc" value={lose.idc} size={8} onInput={(e) => setLose({ ...lose, idc: (e.currentTarget as HTMLInputElement).value })} /></label>
        </>}
        <button type="submit" disabled={busy}>Run what-if</button>
      </form>
      <ErrorBanner error={error} onClose={() => setError(null)} />
      {answer && <WhatIfResult answer={answer} />}
    </section>
  );
}

/** The answer: a verdict, what would not fit, per-cluster water levels before and after, per-app shares. */
export function WhatIfResult({ answer }: { answer: WhatIfAnswer }) {
  const s = answer.summary;
  const misfits = answer.apps.filter((a) => a.unschedulable > 0 || a.quotaExceeded);
  return (
    <div class="whatif-result" data-testid="whatif-result">
      <p class={s.fits ? 'ok verdict' : 'warn verdict'} role="status">
        {s.fits ? 'Everything fits.' : 'Does not fit.'} {s.apps} app(s): {s.idcReplicas} replicas in IDCs, {s.cloudReplicas} in cloud
        (cloud cost {s.cloudCostPerHourBefore.toFixed(2)} → {s.cloudCostPerHour.toFixed(2)} per hour), {s.startedReplicas} replicas started
        {s.unschedulable > 0 && `, ${s.unschedulable} unschedulable`}{s.lostReplicas > 0 && `, ${s.lostReplicas} lost with their clusters`}.
        {answer.lostClusters.length > 0 && ` Lost: ${answer.lostClusters.join(', ')}.`}
      </p>
      {misfits.length > 0 && <>
        <h3>What would not fit</h3>
        <ul class="misfits">
          {misfits.map((a) => (
            <li key={`${a.tenant}/${a.name}`} data-misfit={`${a.tenant}/${a.name}`}>
              <strong>{a.tenant}/{a.name}</strong>
              {a.unschedulable > 0 && <> — {a.unschedulable} of {a.replicas} replicas unschedulable: {a.unschedulableReason}</>}
              {a.quotaExceeded && <> — {a.quotaExceeded}</>}
            </li>
          ))}
        </ul>
      </>}
      <h3>Clusters before and after ({answer.clusters.length} changed)</h3>
      <ClusterLevels levels={answer.clusters} />
      <h3>Apps</h3>
      <table class="whatif-apps">
        <thead><tr><th>app</th><th>replicas</th><th>IDC</th><th>cloud</th><th>unschedulable</th><th>placement before → after</th></tr></thead>
        <tbody>
          {answer.apps.map((a) => (
            <tr key={`${a.tenant}/${a.name}`} data-app={`${a.tenant}/${a.name}`}>
              <td>{a.tenant}/{a.name}{a.newApp && ' (new)'}</td>
              <td>{a.replicasBefore} → {a.replicas}</td><td>{a.idcReplicas}</td><td>{a.cloudReplicas}</td>
              <td>{a.unschedulableBefore} → {a.unschedulable}</td>
              <td>{a.shares.map((sh) => `${sh.cluster} ${sh.before}→${sh.after}`).join(', ') || '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LEVEL_ROW = 32;

/** Per-cluster water levels before and after; virtualised, since a cluster loss can move many. */
export function ClusterLevels({ levels, labels = ['before', 'after'] }: { levels: WhatIfClusterLevel[]; labels?: [string, string] }) {
  if (levels.length === 0) return <p class="hint">No cluster's load changes.</p>;
  return (
    <>
      <div class="row head whatif-level"><span>cluster</span><span>CPU requested</span><span>memory requested</span><span>{labels[0]}</span><span>{labels[1]}</span></div>
      <VirtualList label="clusters before and after" items={levels} rowHeight={LEVEL_ROW} height={Math.min(400, LEVEL_ROW * levels.length)}
        itemKey={(l) => l.cluster}
        render={(l) => (
          <div class="row whatif-level" data-level={l.cluster}>
            <span>{l.cluster}{l.cloud ? ' (cloud)' : ''}{l.lost && <strong class="warn"> lost</strong>}</span>
            <span>{cpu(l.requestedBefore.cpuMillis)} → {cpu(l.requestedAfter.cpuMillis)} of {cpu(l.allocatable.cpuMillis)}</span>
            <span>{memory(l.requestedBefore.memoryMiB)} → {memory(l.requestedAfter.memoryMiB)} of {memory(l.allocatable.memoryMiB)}</span>
            <Level value={waterLevel(l.requestedBefore, l.allocatable)} />
            {l.lost ? <span class="warn">lost</span> : <Level value={waterLevel(l.requestedAfter, l.allocatable)} />}
          </div>
        )} />
    </>
  );
}
