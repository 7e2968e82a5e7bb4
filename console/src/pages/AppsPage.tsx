import { useState } from 'preact/hooks';
import { describeError } from '../api';
import { ErrorBanner } from '../components/Bits';
import { VirtualList } from '../components/VirtualList';
import { useConsole, useLoad } from '../hooks';

/** Apps the caller may see, a page at a time, and a form to create one. */
export function AppsPage() {
  const { navigate, role, tenant } = useConsole();
  const [pages, setPages] = useState<string[]>(['']);
  const token = pages[pages.length - 1];
  const { data, error, reload } = useLoad((a) => a.apps('', token), [token]);
  const apps = data?.apps ?? [];
  return (
    <section>
      <h2>Apps</h2>
      <ErrorBanner error={error} />
      {(role === 'platform-admin' || role === 'tenant-admin') && <CreateApp defaultTenant={tenant ?? ''} onCreated={(t, n) => { reload(); navigate(`/apps/${t}/${n}`); }} />}
      <div class="row head apps"><span>app</span><span>replicas</span><span>placed</span><span>ready</span><span>policy</span></div>
      <VirtualList label="apps" items={apps} rowHeight={30} height={Math.min(480, 30 * Math.max(1, apps.length))} itemKey={(a) => `${a.tenant}/${a.name}`}
        render={(a) => (
          <div class="row apps" data-app={`${a.tenant}/${a.name}`}>
            <a href={`#/apps/${a.tenant}/${a.name}`} onClick={(e) => { e.preventDefault(); navigate(`/apps/${a.tenant}/${a.name}`); }}>{a.tenant}/{a.name}</a>
            <span>{a.replicas}</span><span>{a.desired}</span><span>{a.ready}</span><span>{a.type}</span>
          </div>
        )} />
      <p class="pager">
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!data?.nextPageToken} onClick={() => data && setPages([...pages, data.nextPageToken])}>Next</button>
      </p>
    </section>
  );
}

function CreateApp({ defaultTenant, onCreated }: { defaultTenant: string; onCreated: (tenant: string, name: string) => void }) {
  const { api } = useConsole();
  const [f, setF] = useState({ tenant: defaultTenant, name: '', image: 'registry.example/web:1.0', replicas: '2', cpuMillis: '500', memoryMiB: '512', type: 'DIVIDED' });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.currentTarget as HTMLInputElement).value });
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const a = await api.createApp({ tenant: f.tenant.trim(), name: f.name.trim(), image: f.image.trim(),
        replicas: Number(f.replicas), cpuMillis: Number(f.cpuMillis), memoryMiB: Number(f.memoryMiB), type: f.type });
      onCreated(a.tenant, a.name);
    } catch (err) {
      setError(describeError(err));
    }
  }
  return (
    <form class="create" onSubmit={submit}>
      <label>tenant <input name="tenant" value={f.tenant} onInput={set('tenant')} /></label>
      <label>name <input name="name" value={f.name} onInput={set('name')} /></label>
      <label>image <input name="image" value={f.image} onInput={set('image')} /></label>
      <label>replicas <input name="replicas" value={f.replicas} size={4} onInput={set('replicas')} /></label>
      <label>CPU (millicores) <input name="cpuMillis" value={f.cpuMillis} size={6} onInput={set('cpuMillis')} /></label>
      <label>memory (MiB) <input name="memoryMiB" value={f.memoryMiB} size={6} onInput={set('memoryMiB')} /></label>
      <label>policy <select name="type" value={f.type} onChange={set('type')}>
        <option>DIVIDED</option><option>DUPLICATED</option><option>AGGREGATED</option></select></label>
      <button type="submit">Create app</button>
      <ErrorBanner error={error} onClose={() => setError(null)} />
    </form>
  );
}
