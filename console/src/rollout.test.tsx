import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, App, Explanation, Rollout } from './api';
import { Ctx } from './hooks';
import { allowedActions, Revisions, RolloutPanel, Verdicts } from './pages/AppPage';

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
  return { api: new Api(f as unknown as typeof fetch), calls };
}

function withContext(api: Api, role: string, tenant: string | null, node: preact.ComponentChildren) {
  return <Ctx.Provider value={{ api, role, tenant, live: 0, navigate: () => undefined }}>{node}</Ctx.Provider>;
}

const app: App = {
  tenant: 'shop', name: 'web', generation: 3, observedGeneration: 3, image: 'registry.example/web:2.0', replicas: 6,
  cpuMillis: 500, memoryMiB: 512, type: 'DIVIDED', desired: 6, ready: 6, unschedulable: 0, unschedulableReason: '',
  clusters: [{ cluster: 'bj-1', desired: 2, ready: 2 }, { cluster: 'bj-2', desired: 2, ready: 2 }, { cluster: 'sh-1', desired: 2, ready: 2 }],
  conditions: [], resourceVersion: 11, updatedAt: 0,
};

/** Two stages: bj (manual gate) finished and waiting; rest pending, sh-1 still on revision 1. */
function waiting(state = 'WAITING_APPROVAL'): Rollout {
  return {
    rolloutId: 4, fromRevision: 1, toRevision: 2, state, currentStage: 0, message: '', createdBy: 'admin',
    createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000,
    strategy: {
      stages: [
        { name: 'bj', clusterSelector: { idc: 'bj' }, maxUnavailableClusters: 1, soakSeconds: 0, gate: 'MANUAL' },
        { name: 'rest', clusterSelector: {}, maxUnavailableClusters: 0, soakSeconds: 0, gate: 'AUTO' },
      ],
      maxSurge: 1, maxUnavailable: 0, onFailure: 'PAUSE', progressDeadlineSeconds: 600, minReadyPercent: 0,
    },
    stages: [
      {
        name: 'bj', state, gate: 'MANUAL', soakSeconds: 0, readySince: 0, clusters: [
          { cluster: 'bj-1', revision: 2, reportedRevision: 2, desired: 2, updated: 2, ready: 2, available: 2, state: 'DONE', message: '' },
          { cluster: 'bj-2', revision: 2, reportedRevision: 2, desired: 2, updated: 1, ready: 2, available: 1, state: 'UPDATING', message: '' },
        ],
      },
      {
        name: 'rest', state: 'PENDING', gate: 'AUTO', soakSeconds: 0, readySince: 0, clusters: [
          // Reports revision 1 with every replica "updated" to it: the bar must not count those.
          { cluster: 'sh-1', revision: 1, reportedRevision: 1, desired: 2, updated: 2, ready: 2, available: 2, state: 'PENDING', message: '' },
        ],
      },
    ],
  };
}

const bar = (label: string) => screen.getByRole('progressbar', { name: label });

describe('allowedActions', () => {
  it('offers what the rollout state machine accepts in each state, and nothing once final', () => {
    expect(allowedActions('PROGRESSING')).toEqual(['pause', 'abort']);
    expect(allowedActions('WAITING_APPROVAL')).toEqual(['approve', 'pause', 'abort']);
    expect(allowedActions('PAUSED')).toEqual(['resume', 'abort']);
    for (const s of ['COMPLETED', 'ABORTED', 'ROLLED_BACK', 'SUPERSEDED']) expect(allowedActions(s)).toEqual([]);
  });
});

describe('RolloutPanel', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows the state, the current stage, each stage with its clusters and their progress', () => {
    const { api } = server(() => ({ body: {} }));
    const { container } = render(withContext(api, 'tenant-viewer', 'shop', <RolloutPanel tenant="shop" name="web" rollout={waiting()} onChanged={() => undefined} />));
    expect(screen.getByTestId('rollout').getAttribute('data-state')).toBe('WAITING_APPROVAL');
    expect(screen.getByTestId('rollout-summary').textContent).toContain('Stage 1 of 2: bj (waiting approval)');
    expect(container.querySelector('[data-stage="bj"]')!.textContent).toContain('manual gate');
    expect(container.querySelector('[data-stage="rest"]')!.getAttribute('data-stage-state')).toBe('PENDING');
    expect(container.querySelector('tr[data-cluster="bj-2"]')!.getAttribute('data-cluster-state')).toBe('UPDATING');
    expect(bar('bj-2 updated').getAttribute('aria-valuenow')).toBe('1');
    expect(bar('bj-2 updated').getAttribute('aria-valuemax')).toBe('2');
    expect(bar('bj-2 available').textContent).toBe('1/2');
    // A cluster still on the old revision has updated none to the new one.
    expect(bar('sh-1 updated').textContent).toBe('0/2');
    expect(bar('sh-1 ready').textContent).toBe('2/2');
  });

  it('offers a tenant viewer no action, and says when there is no rollout', () => {
    const { api } = server(() => ({ body: {} }));
    render(withContext(api, 'tenant-viewer', 'shop', <RolloutPanel tenant="shop" name="web" rollout={waiting()} onChanged={() => undefined} />));
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    render(withContext(api, 'tenant-admin', 'other', <RolloutPanel tenant="shop" name="web" rollout={waiting()} onChanged={() => undefined} />));
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    render(withContext(api, 'platform-admin', null, <RolloutPanel tenant="shop" name="web" rollout={null} onChanged={() => undefined} />));
    screen.getByText(/No staged rollout/);
  });

  it('approves the stage it waits at for the rollout shown, then reloads the page', async () => {
    const { api, calls } = server(() => ({ body: waiting('PROGRESSING') }));
    const onChanged = vi.fn();
    render(withContext(api, 'tenant-admin', 'shop', <RolloutPanel tenant="shop" name="web" rollout={waiting()} onChanged={onChanged} />));
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Approve stage bj', 'Pause', 'Abort']);
    fireEvent.click(screen.getByText('Approve stage bj'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls).toEqual([{ method: 'POST', url: '/api/v1/apps/shop/web/rollout/approve', body: { rolloutId: 4, stage: 'bj' } }]);
  });

  it('offers resume on a paused rollout, aborts only when confirmed, and shows a refusal with its code', async () => {
    const { api, calls } = server((_m, url) => url.endsWith('/resume')
      ? { status: 400, body: { code: 'FAILED_PRECONDITION', message: 'the latest rollout of app shop/web is 5, not 4', violations: [] } }
      : { body: waiting('ABORTED') });
    const onChanged = vi.fn();
    render(withContext(api, 'platform-admin', null, <RolloutPanel tenant="shop" name="web" rollout={waiting('PAUSED')} onChanged={onChanged} />));
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Resume', 'Abort']);
    fireEvent.click(screen.getByText('Resume'));
    await screen.findByText('the latest rollout of app shop/web is 5, not 4 [FAILED_PRECONDITION, HTTP 400]');
    expect(onChanged).not.toHaveBeenCalled();

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(screen.getByText('Abort'));
    expect(calls.filter((c) => c.url.endsWith('/abort'))).toHaveLength(0);
    fireEvent.click(screen.getByText('Abort'));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/v1/apps/shop/web/rollout/abort', body: { rolloutId: 4 } });
    expect(confirm).toHaveBeenCalledTimes(2);
  });
});

describe('Revisions rollback', () => {
  afterEach(() => vi.restoreAllMocks());
  const history = {
    current: 2, revisions: [
      { revision: 2, generation: 3, createdAt: 0, createdBy: 'admin', image: 'registry.example/web:2.0', cpuMillis: 500, memoryMiB: 512, env: [], ports: [] },
      { revision: 1, generation: 1, createdAt: 0, createdBy: 'admin', image: 'registry.example/web:1.0', cpuMillis: 500, memoryMiB: 512, env: [], ports: [] },
    ],
  };

  it('rolls back to a chosen older revision, at once when asked, with the app version as precondition', async () => {
    const { api, calls } = server((m) => m === 'GET' ? { body: history } : { body: { revision: 3, app, rollout: null } });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const onRolledBack = vi.fn();
    render(withContext(api, 'tenant-admin', 'shop', <Revisions tenant="shop" name="web" generation={3} app={app} onRolledBack={onRolledBack} />));
    await screen.findByText('Roll back to 1');
    // The current revision offers no rollback to itself.
    expect(screen.queryByText('Roll back to 2')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.click(screen.getByText('Roll back to 1'));
    await screen.findByText('revision 3 made from revision 1');
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/v1/apps/shop/web/rollout/rollback', body: { toRevision: 1, immediate: true, resourceVersion: 11 } });
    expect(onRolledBack).toHaveBeenCalled();
  });

  it('offers a tenant viewer no rollback', async () => {
    const { api } = server(() => ({ body: history }));
    const { container } = render(withContext(api, 'tenant-viewer', 'shop', <Revisions tenant="shop" name="web" generation={3} app={app} />));
    await waitFor(() => expect(container.querySelector('tr[data-revision="1"]')).not.toBeNull());
    expect(screen.queryByText(/Roll back to/)).toBeNull();
  });
});

describe('Verdicts with effective specs', () => {
  it("shows each cluster's effective image and the overrides applied, and marks an image the overrides changed", () => {
    const eff = (image: string, appliedOverrides: string[]) => ({ image, cpuMillis: 500, memoryMiB: 512, env: [], labels: {}, annotations: {}, replicasFloor: 0, appliedOverrides });
    const ex: Explanation = {
      placements: [], unschedulable: 0, unschedulableReason: '', generation: 3, computedAt: 0,
      clusters: [
        { cluster: 'bj-1', feasible: true, reason: null, weight: 1, fit: 20, score: 0.5, replicas: 2, note: null, effective: eff('harbor.bj.example/web:2.0', ['bj-registry', 'bj-floor']) },
        { cluster: 'sh-1', feasible: true, reason: null, weight: 1, fit: 20, score: 0.5, replicas: 2, note: null, effective: eff('registry.example/web:2.0', []) },
        { cluster: 'gone-1', feasible: false, reason: 'not registered', weight: 0, fit: 0, score: 0, replicas: 0, note: null },
      ],
    };
    const { container } = render(<Verdicts app={app} explanation={ex} />);
    const cell = (c: string, cls: string) => container.querySelector(`tr[data-cluster="${c}"] td.${cls}`)!;
    expect(cell('bj-1', 'effective-image').textContent).toBe('harbor.bj.example/web:2.0');
    expect(cell('bj-1', 'effective-image').querySelector('code.overridden')).not.toBeNull();
    expect(cell('bj-1', 'overrides').textContent).toBe('bj-registry, bj-floor');
    expect(cell('sh-1', 'effective-image').querySelector('code.overridden')).toBeNull();
    expect(cell('sh-1', 'overrides').textContent).toBe('-');
    expect(cell('gone-1', 'effective-image').textContent).toBe('-');
  });
});

describe('moving from one app page to another', () => {
  afterEach(() => { location.hash = ''; });

  it("starts the page afresh: the scale form shows the new app's replicas, no earlier diff stays", async () => {
    const detail = (name: string, replicas: number) => ({
      app: { ...app, name, replicas }, rollout: null,
      explanation: { placements: [], unschedulable: 0, unschedulableReason: '', clusters: [], generation: 1, computedAt: 0 },
    });
    const history = { current: 2, revisions: [
      { revision: 2, generation: 2, createdAt: 0, createdBy: 'a', image: 'img:2', cpuMillis: 1, memoryMiB: 1, env: [], ports: [] },
      { revision: 1, generation: 1, createdAt: 0, createdBy: 'a', image: 'img:1', cpuMillis: 1, memoryMiB: 1, env: [], ports: [] },
    ] };
    const { api } = server((_m, url) => {
      if (url.endsWith('/session')) return { body: { tokenId: 't', role: 'platform-admin', tenant: null } };
      if (url.endsWith('/events')) return { status: 503, body: {} };
      if (url.includes('/revisions/diff')) return { body: { from: 1, to: 2, changes: [{ path: 'image', from: 'img:1', to: 'img:2' }] } };
      if (url.endsWith('/revisions')) return { body: history };
      if (url.endsWith('/apps/shop/api')) return { body: detail('api', 1) };
      if (url.endsWith('/apps/shop/site')) return { body: detail('site', 6) };
      return { body: { clusters: [] } };
    });
    location.hash = '#/apps/shop/api';
    const { ConsoleApp } = await import('./app');
    render(<ConsoleApp api={api} />);
    fireEvent.input(screen.getByLabelText('API token'), { target: { value: 'x' } });
    fireEvent.click(screen.getByText('Log in'));
    await screen.findByRole('heading', { name: 'App shop/api' });
    await waitFor(() => expect((screen.getByLabelText('Replicas') as HTMLInputElement).value).toBe('1'));
    fireEvent.click(await screen.findByText('Compare revisions'));
    await screen.findByTestId('revision-diff');

    location.hash = '#/apps/shop/site';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await screen.findByRole('heading', { name: 'App shop/site' });
    await waitFor(() => expect((screen.getByLabelText('Replicas') as HTMLInputElement).value).toBe('6'));
    expect(screen.queryByTestId('revision-diff')).toBeNull();
  });
});
