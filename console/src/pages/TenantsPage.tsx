import { useState } from 'preact/hooks';
import { Quantities, Quota } from '../api';
import { ErrorBanner, Level } from '../components/Bits';
import { cpu, fill, memory } from '../format';
import { useLoad } from '../hooks';

/** Tenants with quota use in total and per cluster (a tenant role sees its own only). */
export function TenantsPage() {
  const [pages, setPages] = useState<string[]>(['']);
  const token = pages[pages.length - 1];
  const { data, error } = useLoad((a) => a.tenants(token), [token]);
  return (
    <section>
      <h2>Tenants</h2>
      <ErrorBanner error={error} />
      {data?.tenants.map((t) => (
        <article class="tenant" key={t.name} data-tenant={t.name}>
          <h3>{t.name}{t.displayName && ` (${t.displayName})`}</h3>
          <QuotaUse used={t.usage.requested} quota={t.usage.quota} />
          <table>
            <thead><tr><th>cluster</th><th>replicas</th><th>CPU</th><th>memory</th></tr></thead>
            <tbody>{t.usage.clusters.map((c) => (
              <tr key={c.cluster}><td>{c.cluster}</td><td>{c.replicas}</td><td>{cpu(c.requested.cpuMillis)}</td><td>{memory(c.requested.memoryMiB)}</td></tr>
            ))}</tbody>
          </table>
        </article>
      ))}
      <p class="pager">
        <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>Previous</button>
        <button type="button" disabled={!data?.nextPageToken} onClick={() => data && setPages([...pages, data.nextPageToken])}>Next</button>
      </p>
    </section>
  );
}

export function QuotaUse({ used, quota }: { used: Quantities; quota: Quota }) {
  const line = (what: string, u: number, q: number | null, fmt: (n: number) => string) => (
    <li>{what}: {fmt(u)} of {q === null ? 'no limit' : fmt(q)} {q !== null && <Level value={fill(u, q)} />}</li>
  );
  return (
    <ul class="quota">
      {line('CPU', used.cpuMillis, quota.cpuMillis, cpu)}
      {line('memory', used.memoryMiB, quota.memoryMiB, memory)}
      {line('replicas', used.pods, quota.replicas, String)}
    </ul>
  );
}
