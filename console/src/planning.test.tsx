import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Api, DryRun, Plan, WhatIfAnswer, WhatIfClusterLevel } from './api';
import { ConsoleApp, route } from './app';
import { Ctx } from './hooks';
import { Revisions } from './pages/AppPage';
import { DryRunResult, PlanEditor, PlanPage, toSpec } from './pages/PeakEventsPage';
import { ClusterLevels, toRequest, WhatIfPage } from './pages/WhatIfPage';

type Handler = (method: string, url: string, body: unknown) => { status?: number; body: unknown };

/** A fetch that answers by method and URL, and remembers every call with its parsed body. */
function server(handler: Handler) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const f = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, url: String(url), body });
    const a = handler(method, String(url), body);
    return new Response(JSON.stringify(a.body), { status: a.status ?? 200 });
  });
  return { api: new Api(f as unknown as typeof fetch), calls, f };
}

function withContext(api: Api, role: string, tenant: string | null, node: preact.ComponentChildren, navigate = (_: string) => undefined) {
  return <Ctx.Provider value={{ api, role, tenant, live: 0, navigate }}>{node}</Ctx.Provider>;
}

const q = (cpuMillis: number, memoryMiB = 0, pods = 0) => ({ cpuMillis, memoryMiB, pods });

const answer: WhatIfAnswer = {
  summary: { fits: false, apps: 1, idcReplicas: 16, cloudReplicas: 0, cloudCostPerHour: 0, cloudCostPerHourBefore: 0, unschedulable: 14, lostReplicas: 0, startedReplicas: 10 },
  apps: [{
    tenant: 'shop', name: 'web', replicasBefore: 6, replicas: 30, newApp: false,
    shares: [{ cluster: 'idc-1', cloud: false, before: 3, after: 8 }, { cluster: 'idc-2', cloud: false, before: 3, after: 8 }],
    unschedulable: 14, unschedulableReason: 'no cluster has room', unschedulableBefore: 0, idcReplicas: 16, cloudReplicas: 0,
    cloudCostPerHour: 0, cloudCostPerHourBefore: 0, lostReplicas: 0, quotaExceeded: 'would exceed the quota of tenant shop: replicas 30 > quota 14',
  }],
  lostClusters: [],
  clusters: [
    { cluster: 'idc-1', cloud: false, lost: false, allocatable: q(10000, 1000), requestedBefore: q(5000), requestedAfter: q(10000) },
    { cluster: 'idc-2', cloud: false, lost: false, allocatable: q(10000, 1000), requestedBefore: q(5000), requestedAfter: q(10000) },
  ],
};

describe('WhatIfPage', () => {
  it('turns the rows into scales and creates, and names the field of a value that is not a number', () => {
    const rows = [
      { kind: 'scale' as const, tenant: ' shop ', name: 'web', replicas: '30', image: '', cpuMillis: '', memoryMiB: '', type: 'DIVIDED' },
      { kind: 'create' as const, tenant: 'shop', name: 'new', replicas: '2', image: 'img:1', cpuMillis: '250', memoryMiB: '128', type: 'DUPLICATED' },
    ];
    expect(toRequest(rows)).toEqual({
      scales: [{ tenant: 'shop', name: 'web', replicas: 30 }],
      creates: [{ tenant: 'shop', name: 'new', image: 'img:1', replicas: 2, cpuMillis: 250, memoryMiB: 128, type: 'DUPLICATED' }],
    });
    expect(toRequest([{ ...rows[1], cpuMillis: 'lots' }])).toBe('creates[0].spec.cpuMillis: must be a number, got "lots"');
    expect(toRequest([{ ...rows[0], replicas: '' }])).toBe('scales[0].replicas: must be a number, got ""');
  });

  it('asks the server and shows the verdict, what does not fit and every changed cluster before and after', async () => {
    const { api, calls } = server(() => ({ body: answer }));
    const { container } = render(withContext(api, 'tenant-viewer', 'shop', <WhatIfPage />));
    fireEvent.input(screen.getByLabelText('app 1'), { target: { value: 'web' } });
    fireEvent.input(screen.getByLabelText('replicas 1'), { target: { value: '30' } });
    fireEvent.click(screen.getByText('Run what-if'));
    await screen.findByText(/Does not fit\./);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/capacity/what-if/apps', body: { scales: [{ tenant: 'shop', name: 'web', replicas: 30 }], creates: [] } });
    expect(container.querySelector('[data-misfit="shop/web"]')!.textContent).toContain('14 of 30 replicas unschedulable: no cluster has room');
    expect(container.querySelector('[data-misfit="shop/web"]')!.textContent).toContain('replicas 30 > quota 14');
    const idc1 = container.querySelector('[data-level="idc-1"]')!;
    expect(idc1.textContent).toContain('5 → 10 of 10');
    expect([...idc1.querySelectorAll('.level .label')].map((l) => l.textContent)).toEqual(['50%', '100%']);
    expect(container.querySelector('tr[data-app="shop/web"]')!.textContent).toContain('idc-1 3→8');
  });

  it('shows the server refusal with the field, and offers cluster loss to platform-admins only', async () => {
    const { api } = server(() => ({ status: 400, body: { code: 'INVALID_ARGUMENT', message: 'scales[0].replicas: must be at least 0', violations: [{ field: 'scales[0].replicas', description: 'must be at least 0' }] } }));
    render(withContext(api, 'tenant-admin', 'shop', <WhatIfPage />));
    expect(screen.queryByText('lose clusters')).toBeNull();
    fireEvent.input(screen.getByLabelText('app 1'), { target: { value: 'web' } });
    fireEvent.input(screen.getByLabelText('replicas 1'), { target: { value: '-1' } });
    fireEvent.click(screen.getByText('Run what-if'));
    await screen.findByText('scales[0].replicas: must be at least 0 [INVALID_ARGUMENT, HTTP 400]');
    expect(screen.queryByTestId('whatif-result')).toBeNull();
  });

  it('asks about losing clusters by name or IDC', async () => {
    const lossAnswer = { ...answer, lostClusters: ['idc-1'], clusters: [{ ...answer.clusters[0], lost: true, requestedAfter: q(0) }] };
    const { api, calls } = server(() => ({ body: lossAnswer }));
    const { container } = render(withContext(api, 'platform-admin', null, <WhatIfPage />));
    fireEvent.change(container.querySelector('select[name=mode]')!, { target: { value: 'loss' } });
    fireEvent.input(container.querySelector('input[name=clusters]')!, { target: { value: 'idc-1, idc-2' } });
    fireEvent.click(screen.getByText('Run what-if'));
    await screen.findByText(/Lost: idc-1\./);
    expect(calls[0]).toMatchObject({ url: '/api/v1/capacity/what-if/cluster-loss', body: { clusters: ['idc-1', 'idc-2'], idc: '' } });
    expect(container.querySelector('[data-level="idc-1"]')!.textContent).toContain('lost');
  });

  it('renders a few dozen rows for 1,000 changed clusters', () => {
    const levels: WhatIfClusterLevel[] = Array.from({ length: 1000 }, (_, i) => ({ ...answer.clusters[0], cluster: `c-${i}` }));
    render(<ClusterLevels levels={levels} />);
    expect(screen.getAllByRole('listitem').length).toBeLessThan(40);
  });
});

const plan: Plan = {
  name: 'sale', state: 'RAMPING', reason: 'step 1 of 2 applied', cancelRequested: false, createdBy: 'admin',
  spec: { window: { start: 1_700_000_000_000, end: 1_700_007_200_000, rampSteps: 2, rampStepSeconds: 600 }, targets: [{ tenant: 'shop', app: 'web', peakReplicas: 20 }], budget: { maxCloudReplicas: 6 } },
  progress: { stepsApplied: 1, steps: 2, cloudReplicas: 0, cloudCostPerHour: 0, targets: [
    { tenant: 'shop', app: 'web', originalReplicas: 8, peakReplicas: 20, appliedReplicas: 14, cloudReplicas: 0, cloudCostPerHour: 0, userOwned: false, skippedReason: '', restored: false },
  ] },
  resourceVersion: 3, createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000,
};

const dry: DryRun = {
  apps: [{ tenant: 'shop', app: 'web', currentReplicas: 8, peakReplicas: 20, idcReplicas: 12, cloudReplicas: 6, unschedulable: 2, unschedulableReason: 'budget', cloudCostPerHour: 0.4, placement: { 'idc-1': 6, 'idc-2': 6, 'cloud-b': 4, 'cloud-a': 2 } }],
  idcReplicas: 12, cloudReplicas: 6, unschedulable: 2, cloudCostPerHour: 0.4,
  quotaHits: [{ tenant: 'shop', resource: 'replicas', quota: 14, needed: 28, raised: true }], notes: ['max_cloud_replicas 6 reached'],
  clusters: [{ cluster: 'cloud-b', cloud: true, lost: false, allocatable: q(4000), requestedBefore: q(0), requestedAfter: q(4000) }],
};

describe('peak events', () => {
  it('reads the form into a plan spec: counts, multipliers, patterns, the window from now', () => {
    const now = 1_000_000;
    const spec = toSpec({
      name: 'p', start: '', hours: '2', rampSteps: '2', rampStepSeconds: '600', maxCloudReplicas: '6', maxCloudCostPerHour: '',
      raiseTenantQuotas: true, targets: [{ tenant: 'shop', app: 'web', peak: '20' }, { tenant: 'shop', app: 'api-*', peak: 'x2.5' }, { tenant: 'ads', app: '', peak: '3x' }],
    }, now);
    expect(spec).toEqual({
      window: { start: now, end: now + 7_200_000, rampSteps: 2, rampStepSeconds: 600 },
      targets: [{ tenant: 'shop', app: 'web', peakReplicas: 20 }, { tenant: 'shop', appPattern: 'api-*', multiplier: 2.5 }, { tenant: 'ads', multiplier: 3 }],
      budget: { maxCloudReplicas: 6, maxCloudCostPerHour: null },
      raiseTenantQuotas: true,
    });
    const bad = toSpec({ name: 'p', start: '', hours: '2', rampSteps: '', rampStepSeconds: '', maxCloudReplicas: '', maxCloudCostPerHour: '', raiseTenantQuotas: false, targets: [{ tenant: 'shop', app: 'web', peak: 'many' }] }, now);
    expect(bad).toBe('spec.targets[0].peak_replicas: give a replica count (40) or a multiplier (x3), got "many"');
  });

  it('dry-runs the form without creating anything, and creates the plan on request', async () => {
    const { api, calls } = server((method, url) => (url.endsWith('/dry-run') ? { body: dry } : { status: 201, body: plan }));
    const onCreated = vi.fn();
    const { container } = render(withContext(api, 'platform-admin', null, <PlanEditor onCreated={onCreated} now={() => 5000} />));
    fireEvent.input(container.querySelector('input[name=plan-name]')!, { target: { value: 'sale' } });
    fireEvent.input(screen.getByLabelText('target 1 tenant'), { target: { value: 'shop' } });
    fireEvent.input(screen.getByLabelText('target 1 app'), { target: { value: 'web' } });
    fireEvent.input(screen.getByLabelText('target 1 peak'), { target: { value: '20' } });
    fireEvent.click(screen.getByText('Dry run'));
    await screen.findByText(/At the peak: 12 replicas in IDCs, 6 in cloud \(0.40 per hour\), 2 unschedulable/);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/peak-events/dry-run', body: { name: '', spec: { targets: [{ tenant: 'shop', app: 'web', peakReplicas: 20 }] } } });
    expect(onCreated).not.toHaveBeenCalled();
    expect(screen.getByText('max_cloud_replicas 6 reached')).toBeTruthy();
    expect(container.querySelector('tr[data-app="shop/web"]')!.textContent).toContain('cloud-b 4');
    const cloudB = container.querySelector('[data-level="cloud-b"]')!;
    expect(cloudB.textContent).toContain('cloud-b (cloud)');
    expect([...cloudB.querySelectorAll('.level .label')].map((l) => l.textContent)).toEqual(['0%', '100%']);
    fireEvent.click(screen.getByText('Create plan'));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(plan));
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/v1/peak-events', body: { name: 'sale', spec: { window: { start: 5000, end: 5000 + 7_200_000 } } } });
  });

  it('shows a refused plan with the field the server named', async () => {
    const { api } = server(() => ({ status: 400, body: { code: 'INVALID_ARGUMENT', message: 'spec.window.end_unix_millis: is in the past', violations: [{ field: 'spec.window.end_unix_millis', description: 'is in the past' }] } }));
    render(withContext(api, 'platform-admin', null, <PlanEditor onCreated={() => undefined} />));
    fireEvent.input(screen.getByLabelText('target 1 tenant'), { target: { value: 'shop' } });
    fireEvent.input(screen.getByLabelText('target 1 peak'), { target: { value: 'x2' } });
    fireEvent.click(screen.getByText('Create plan'));
    await screen.findByText('spec.window.end_unix_millis: is in the past [INVALID_ARGUMENT, HTTP 400]');
  });

  it('shows a plan: state, ramp progress, targets and events; cancels it', async () => {
    let state = plan;
    const { api, calls } = server((method) => {
      if (method === 'POST') { state = { ...plan, state: 'SCALING_BACK', cancelRequested: true }; return { body: state }; }
      return { body: { plan: state, events: [{ at: 1, kind: 'PLANNED', message: 'created by token admin' }, { at: 2, kind: 'STEP', message: 'step 1 of 2' }] } };
    });
    vi.stubGlobal('confirm', () => true);
    const { container } = render(withContext(api, 'platform-admin', null, <PlanPage name="sale" />));
    await screen.findByText('1 of 2 steps', { exact: false });
    expect(screen.getByTestId('plan-reason').textContent).toBe('step 1 of 2 applied');
    expect(container.querySelector('tr[data-target="shop/web"]')!.textContent).toContain('14');
    expect(screen.getByTestId('plan-events').textContent).toContain('STEP');
    fireEvent.click(screen.getByText('Cancel plan'));
    await screen.findByText('SCALING_BACK');
    expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/peak-events/sale/cancel')).toBe(true);
    expect(screen.queryByText('Cancel plan')).toBeNull();
    vi.unstubAllGlobals();
  });

  it('lists quota hits and whether the plan raises them', () => {
    render(<DryRunResult dry={dry} />);
    expect(screen.getByText(/tenant shop: replicas needs 28, quota 14 \(raised for the window\)/)).toBeTruthy();
  });
});

describe('Revisions', () => {
  it('lists revisions newest first and diffs the one before the current against the current', async () => {
    const { api, calls } = server((_m, url) => url.includes('/diff')
      ? { body: { from: 1, to: 2, changes: [{ path: 'image', from: 'web:1.0', to: 'web:2.0' }] } }
      : { body: { current: 2, revisions: [
        { revision: 2, generation: 3, createdAt: 0, createdBy: 'admin', image: 'web:2.0', cpuMillis: 500, memoryMiB: 512, env: [], ports: [] },
        { revision: 1, generation: 1, createdAt: 0, createdBy: 'admin', image: 'web:1.0', cpuMillis: 500, memoryMiB: 512, env: [{ name: 'MODE', value: 'x' }], ports: [] },
      ] } });
    const { container } = render(withContext(api, 'tenant-viewer', 'shop', <Revisions tenant="shop" name="web" generation={3} />));
    await screen.findByText('2 (current)');
    expect(container.querySelector('tr[data-revision="1"]')!.textContent).toContain('MODE');
    fireEvent.click(screen.getByText('Compare revisions'));
    await screen.findByText('Revision 1 → 2: 1 field(s) changed.');
    expect(calls.at(-1)!.url).toBe('/api/v1/apps/shop/web/revisions/diff?from=1&to=2');
    expect(container.querySelector('tr[data-path="image"]')!.textContent).toContain('web:2.0');
  });

  it('shows why revisions cannot be read', async () => {
    const { api } = server(() => ({ status: 403, body: { code: 'PERMISSION_DENIED', message: 'token t-1 may not read tenant shop' } }));
    render(withContext(api, 'tenant-viewer', 'other', <Revisions tenant="shop" name="web" generation={1} />));
    await screen.findByText('token t-1 may not read tenant shop [PERMISSION_DENIED, HTTP 403]');
  });
});

describe('routes of the planning pages', () => {
  it('reads what-if, peak events and one plan from the hash', () => {
    expect(route('#/what-if')).toEqual({ page: 'what-if', args: [] });
    expect(route('#/peak-events')).toEqual({ page: 'peak-events', args: [] });
    expect(route('#/peak-events/singles-day')).toEqual({ page: 'plan', args: ['singles-day'] });
  });
});

describe('navigation of the planning pages', () => {
  async function navFor(role: string, tenant: string | null) {
    const f = vi.fn(async (url: RequestInfo | URL) => {
      if (String(url).endsWith('/session')) return new Response(JSON.stringify({ tokenId: 't', role, tenant }));
      if (String(url).endsWith('/events')) return new Response('', { status: 503 });
      return new Response(JSON.stringify({ clusters: [] }));
    });
    const { container } = render(<ConsoleApp api={new Api(f as unknown as typeof fetch)} />);
    fireEvent.input(screen.getByLabelText('API token'), { target: { value: 'x' } });
    fireEvent.click(screen.getByText('Log in'));
    await screen.findByText('0 clusters');
    return [...container.querySelectorAll('header nav a')].map((a) => a.textContent);
  }

  it('offers what-if to every role and peak events to platform-admins only', async () => {
    expect(await navFor('tenant-viewer', 'shop')).toEqual(['Fleet', 'Apps', 'Tenants', 'What-if']);
  });

  it('gives a platform-admin capacity, what-if and peak events', async () => {
    expect(await navFor('platform-admin', null)).toEqual(['Fleet', 'Apps', 'Tenants', 'Capacity', 'What-if', 'Peak events']);
  });
});
