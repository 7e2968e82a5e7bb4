import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Api, App, Explanation } from './api';
import { VirtualList } from './components/VirtualList';
import { Ctx } from './hooks';
import { Verdicts, ScaleForm } from './pages/AppPage';
import { Login } from './pages/Login';
import { ConsoleApp, route } from './app';

const app: App = {
  tenant: 'shop', name: 'web', generation: 2, observedGeneration: 2, image: 'x', replicas: 4, cpuMillis: 500,
  memoryMiB: 512, type: 'DIVIDED', desired: 4, ready: 3, unschedulable: 0, unschedulableReason: '',
  clusters: [{ cluster: 'idc-a-1', desired: 4, ready: 3 }], conditions: [], resourceVersion: 7, updatedAt: 0,
};

describe('VirtualList', () => {
  it('renders only the rows in view for 1,000 items', () => {
    const items = Array.from({ length: 1000 }, (_, i) => `cluster-${i}`);
    render(<VirtualList items={items} rowHeight={30} height={300} overscan={5} itemKey={(s) => s} render={(s) => <span>{s}</span>} label="l" />);
    const rows = screen.getAllByRole('listitem');
    // 10 rows in view plus 5 overscan below (none above at the top).
    expect(rows).toHaveLength(15);
    expect(screen.queryByText('cluster-500')).toBeNull();
  });
});

describe('Verdicts', () => {
  it('shows every cluster verdict with its reason, and desired and ready from the status', () => {
    const ex: Explanation = {
      placements: [{ cluster: 'idc-a-1', replicas: 4 }], unschedulable: 0, unschedulableReason: '', generation: 2, computedAt: 0,
      clusters: [
        { cluster: 'idc-a-1', feasible: true, reason: null, weight: 1, fit: 20, score: 0.5, replicas: 4, note: null },
        { cluster: 'idc-b-1', feasible: false, reason: 'state NOT_READY', weight: 1, fit: 20, score: 0.5, replicas: 0, note: null },
      ],
    };
    const { container } = render(<Verdicts app={app} explanation={ex} />);
    const a = container.querySelector('tr[data-cluster="idc-a-1"]')!.textContent;
    expect(a).toContain('yes');
    expect(container.querySelector('tr[data-cluster="idc-b-1"]')!.textContent).toContain('state NOT_READY');
    expect([...container.querySelectorAll('tr[data-cluster="idc-a-1"] td')].map((td) => td.textContent).slice(6, 9)).toEqual(['4', '4', '3']);
  });
});

function withContext(api: Api, role: string, tenant: string | null, node: preact.ComponentChildren) {
  return <Ctx.Provider value={{ api, role, tenant, live: 0, navigate: () => undefined }}>{node}</Ctx.Provider>;
}

describe('ScaleForm', () => {
  it('is not offered to a tenant viewer', () => {
    const { container } = render(withContext(new Api(vi.fn()), 'tenant-viewer', 'shop', <ScaleForm app={app} onScaled={() => undefined} />));
    expect(container.querySelector('form')).toBeNull();
  });

  it('refuses a negative count before calling the server, and shows the server refusal in words', async () => {
    const f = vi.fn(async () => new Response(JSON.stringify({ code: 'RESOURCE_EXHAUSTED', message: 'tenant shop quota: replicas 20 > 10' }), { status: 429 }));
    render(withContext(new Api(f), 'platform-admin', null, <ScaleForm app={app} onScaled={() => undefined} />));
    fireEvent.input(screen.getByLabelText('Replicas'), { target: { value: '-2' } });
    fireEvent.click(screen.getByText('Scale'));
    await screen.findByText(/replicas must be a whole number/);
    expect(f).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('Replicas'), { target: { value: '20' } });
    fireEvent.click(screen.getByText('Scale'));
    await screen.findByText('tenant shop quota: replicas 20 > 10 [RESOURCE_EXHAUSTED, HTTP 429]');
    expect(JSON.parse(String((f.mock.calls[0] as unknown[])[1] && ((f.mock.calls[0] as unknown as [string, RequestInit])[1].body)))).toEqual({ replicas: 20, resourceVersion: 7 });
  });
});

describe('Login', () => {
  it('shows why a token was refused and forgets it', async () => {
    const f = vi.fn(async () => new Response(JSON.stringify({ code: 'UNAUTHENTICATED', message: 'unknown bearer token' }), { status: 401 }));
    const api = new Api(f);
    const onLogin = vi.fn();
    render(<Login api={api} onLogin={onLogin} />);
    fireEvent.input(screen.getByLabelText('API token'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByText('Log in'));
    await screen.findByText('unknown bearer token [UNAUTHENTICATED, HTTP 401]');
    expect(onLogin).not.toHaveBeenCalled();
    expect(api.hasToken()).toBe(false);
  });

  it('logs in with a valid token', async () => {
    const f = vi.fn(async () => new Response(JSON.stringify({ tokenId: 'admin', role: 'platform-admin', tenant: null }), { status: 200 }));
    const onLogin = vi.fn();
    render(<Login api={new Api(f)} onLogin={onLogin} />);
    fireEvent.input(screen.getByLabelText('API token'), { target: { value: 'good' } });
    fireEvent.click(screen.getByText('Log in'));
    await waitFor(() => expect(onLogin).toHaveBeenCalledWith({ tokenId: 'admin', role: 'platform-admin', tenant: null }));
  });
});

describe('route', () => {
  it('reads pages and their names from the hash', () => {
    expect(route('#/apps/shop/web')).toEqual({ page: 'app', args: ['shop', 'web'] });
    expect(route('#/clusters/idc-bj-1')).toEqual({ page: 'cluster', args: ['idc-bj-1'] });
    expect(route('')).toEqual({ page: 'fleet', args: [] });
  });
});

describe('ConsoleApp', () => {
  it('keeps the token after logging in: the pages call the API with it', async () => {
    const seen: string[] = [];
    const f = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      seen.push(`${String(url)} ${(init?.headers as Record<string, string>)?.Authorization ?? 'none'}`);
      if (String(url).endsWith('/session')) return new Response(JSON.stringify({ tokenId: 'a', role: 'platform-admin', tenant: null }));
      if (String(url).endsWith('/events')) return new Response('', { status: 503 });
      return new Response(JSON.stringify({ clusters: [] }));
    });
    render(<ConsoleApp api={new Api(f as unknown as typeof fetch)} />);
    fireEvent.input(screen.getByLabelText('API token'), { target: { value: 'tok-1' } });
    fireEvent.click(screen.getByText('Log in'));
    await waitFor(() => expect(seen).toContain('/api/v1/clusters Bearer tok-1'));
    await screen.findByText('0 clusters');
    expect(seen.every((s) => s.endsWith('Bearer tok-1'))).toBe(true);
  });
});
