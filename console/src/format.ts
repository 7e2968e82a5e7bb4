import type { Cluster, Quantities } from './api';

/** Share of capacity requested, 0..1 (0 when nothing is allocatable). */
export function fill(requested: number, allocatable: number): number {
  return allocatable > 0 ? Math.min(1, Math.max(0, requested / allocatable)) : 0;
}

/** The water level of a cluster or group: the fuller of CPU and memory, 0..1. */
export function waterLevel(requested: Quantities, allocatable: Quantities): number {
  return Math.max(fill(requested.cpuMillis, allocatable.cpuMillis), fill(requested.memoryMiB, allocatable.memoryMiB));
}

export function percent(x: number): string { return `${Math.round(x * 100)}%`; }

export function cpu(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}` : `${(millis / 1000).toFixed(1)}`;
}

export function memory(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(mib % 1024 === 0 ? 0 : 1)}Gi` : `${mib}Mi`;
}

export type Row =
  | { kind: 'group'; key: string; region: string; idc: string; tier: string; count: number; ready: number; level: number }
  | { kind: 'cluster'; key: string; cluster: Cluster };

/**
 * Clusters grouped by region, then IDC (cloud clusters by provider), then tier, sorted, as rows
 * for a virtualised list: a header row per group (counts and water level) followed by its clusters.
 * `filter` keeps clusters whose name, state or labels contain it (case-insensitive).
 */
export function fleetRows(clusters: Cluster[], filter = ''): Row[] {
  const f = filter.trim().toLowerCase();
  const groups = new Map<string, { region: string; idc: string; tier: string; members: Cluster[] }>();
  for (const c of clusters) {
    if (f && !matches(c, f)) continue;
    const region = c.labels.region ?? '';
    const tier = c.labels.tier ?? 'idc';
    const idc = c.labels.idc ?? (tier === 'cloud' ? c.labels.provider ?? '' : '');
    const key = `${region}\u0000${idc}\u0000${tier}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { region, idc, tier, members: [] }));
    g.members.push(c);
  }
  const rows: Row[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    g.members.sort((a, b) => a.name.localeCompare(b.name));
    const req = sum(g.members.map((c) => c.requested));
    const alloc = sum(g.members.map((c) => c.allocatable));
    rows.push({
      kind: 'group', key: `g:${key}`, region: g.region, idc: g.idc, tier: g.tier,
      count: g.members.length, ready: g.members.filter((c) => c.state === 'READY').length,
      level: waterLevel(req, alloc),
    });
    for (const c of g.members) rows.push({ kind: 'cluster', key: `c:${c.name}`, cluster: c });
  }
  return rows;
}

function matches(c: Cluster, f: string): boolean {
  if (c.name.toLowerCase().includes(f) || c.state.toLowerCase().includes(f)) return true;
  return Object.entries(c.labels).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(f));
}

export function sum(qs: Quantities[]): Quantities {
  return qs.reduce((a, q) => ({ cpuMillis: a.cpuMillis + q.cpuMillis, memoryMiB: a.memoryMiB + q.memoryMiB, pods: a.pods + q.pods }),
    { cpuMillis: 0, memoryMiB: 0, pods: 0 });
}

export function countByState(clusters: Cluster[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of clusters) out[c.state] = (out[c.state] ?? 0) + 1;
  return out;
}
