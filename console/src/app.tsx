import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, Session } from './api';
import { Ctx } from './hooks';
import { AppPage } from './pages/AppPage';
import { AppsPage } from './pages/AppsPage';
import { CapacityPage } from './pages/CapacityPage';
import { ClusterPage } from './pages/ClusterPage';
import { Fleet } from './pages/Fleet';
import { Login } from './pages/Login';
import { PeakEventsPage, PlanPage } from './pages/PeakEventsPage';
import { TenantsPage } from './pages/TenantsPage';
import { WhatIfPage } from './pages/WhatIfPage';

/** Routes are hash paths (#/fleet, #/clusters/<name>, #/apps/<tenant>/<name>, ...): no token in them. */
export function route(hash: string): { page: string; args: string[] } {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'clusters' && parts[1]) return { page: 'cluster', args: [parts[1]] };
  if (parts[0] === 'apps' && parts[1] && parts[2]) return { page: 'app', args: [parts[1], parts[2]] };
  if (parts[0] === 'peak-events' && parts[1]) return { page: 'plan', args: [parts[1]] };
  if (['apps', 'tenants', 'capacity', 'fleet', 'what-if', 'peak-events'].includes(parts[0])) return { page: parts[0], args: [] };
  return { page: 'fleet', args: [] };
}

const MIN_REFRESH_MS = 2000;

export function ConsoleApp(props: { api?: Api }) {
  // One client for the page's life: it holds the token.
  const [api] = useState(() => props.api ?? new Api());
  const [session, setSession] = useState<Session | null>(null);
  const [hash, setHash] = useState(location.hash);
  const [live, setLive] = useState(0);
  const [stream, setStream] = useState<'connecting' | 'live' | 'lost'>('connecting');
  const pending = useRef<number | null>(null);

  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);

  // Live updates: any event the caller may see refreshes the shown page, at most every 2 s.
  useEffect(() => {
    if (!session) return;
    const abort = new AbortController();
    let retry = 1000;
    const bump = () => {
      if (pending.current !== null) return;
      pending.current = window.setTimeout(() => { pending.current = null; setLive((n) => n + 1); }, MIN_REFRESH_MS);
    };
    const run = () => {
      setStream('connecting');
      api.follow((name) => { setStream('live'); retry = 1000; if (name !== 'ping' && name !== 'hello') bump(); }, abort.signal)
        .catch(() => undefined)
        .finally(() => {
          if (abort.signal.aborted) return;
          setStream('lost');
          window.setTimeout(run, retry);
          retry = Math.min(retry * 2, 30000);
        });
    };
    run();
    return () => abort.abort();
  }, [session]);

  if (!session) return <Login api={api} onLogin={setSession} />;
  const r = route(hash);
  const navigate = (path: string) => { location.hash = path; };
  const logout = () => { api.setToken(null); setSession(null); };
  const nav = (page: string, label: string) => (
    <a href={`#/${page}`} class={r.page === page ? 'active' : ''}>{label}</a>
  );
  return (
    <Ctx.Provider value={{ api, role: session.role, tenant: session.tenant, live, navigate }}>
      <header>
        <strong>Fedplane</strong>
        <nav>{nav('fleet', 'Fleet')}{nav('apps', 'Apps')}{nav('tenants', 'Tenants')}{session.role === 'platform-admin' && nav('capacity', 'Capacity')}{nav('what-if', 'What-if')}{session.role === 'platform-admin' && nav('peak-events', 'Peak events')}</nav>
        <span class={`stream ${stream}`} title="live updates (server-sent events)">{stream}</span>
        <span class="who">{session.role}{session.tenant ? ` of ${session.tenant}` : ''} ({session.tokenId})</span>
        <button type="button" class="link" onClick={logout}>Log out</button>
      </header>
      <main>
        {r.page === 'fleet' && <Fleet />}
        {/* Keyed by what they show: moving from one app (or cluster, plan) to another starts the page
            afresh instead of keeping the last one's form input, picked revisions or diff. */}
        {r.page === 'cluster' && <ClusterPage key={r.args[0]} name={r.args[0]} />}
        {r.page === 'apps' && <AppsPage />}
        {r.page === 'app' && <AppPage key={`${r.args[0]}/${r.args[1]}`} tenant={r.args[0]} name={r.args[1]} />}
        {r.page === 'tenants' && <TenantsPage />}
        {r.page === 'capacity' && <CapacityPage />}
        {r.page === 'what-if' && <WhatIfPage />}
        {r.page === 'peak-events' && <PeakEventsPage />}
        {r.page === 'plan' && <PlanPage key={r.args[0]} name={r.args[0]} />}
      </main>
    </Ctx.Provider>
  );
}
