import { describe, expect, it } from 'vitest';
import type { Cluster } from './api';
import { fleetRows, memory, waterLevel } from './format';

export function aCluster(name: string, labels: Record<string, string>, state = 'READY', req = 0): Cluster {
  const q = (cpu: number, mem: number, pods: number) => ({ cpuMillis: cpu, memoryMiB: mem, pods });
  return {
    name, state, labels, taints: [], allocatable: q(10000, 10240, 100), requested: q(req, 0, 0),
    free: q(10000 - req, 10240, 100), costPerCpuHour: 0, agentVersion: '', kubernetesVersion: '',
    lastHeartbeat: 0, resourceVersion: 1,
  };
}

describe('fleetRows', () => {
  const clusters = [
    aCluster('idc-sh-1', { region: 'east', idc: 'sh', tier: 'idc' }, 'READY', 5000),
    aCluster('cloud-ali-1', { region: 'east', provider: 'aliyun', tier: 'cloud' }),
    aCluster('idc-bj-2', { region: 'north', idc: 'bj', tier: 'idc' }, 'NOT_READY'),
    aCluster('idc-bj-1', { region: 'north', idc: 'bj', tier: 'idc' }, 'READY', 10000),
  ];

  it('groups clusters by region, then idc (provider for cloud), then tier, each group followed by its clusters by name', () => {
    const rows = fleetRows(clusters);
    expect(rows.map((r) => (r.kind === 'group' ? `[${r.region}/${r.idc}/${r.tier}]` : r.cluster.name))).toEqual([
      '[east/aliyun/cloud]', 'cloud-ali-1', '[east/sh/idc]', 'idc-sh-1', '[north/bj/idc]', 'idc-bj-1', 'idc-bj-2',
    ]);
  });

  it('gives each group its ready count and the water level of its summed capacity', () => {
    const bj = fleetRows(clusters).find((r) => r.kind === 'group' && r.idc === 'bj');
    // 10000 of 20000 millicores requested: half full.
    expect(bj).toMatchObject({ count: 2, ready: 1, level: 0.5 });
  });

  it('keeps only clusters whose name, state or label matches the filter', () => {
    const names = fleetRows(clusters, 'not_ready').filter((r) => r.kind === 'cluster').map((r) => r.kind === 'cluster' && r.cluster.name);
    expect(names).toEqual(['idc-bj-2']);
    expect(fleetRows(clusters, 'tier=cloud').filter((r) => r.kind === 'cluster')).toHaveLength(1);
  });
});

describe('waterLevel', () => {
  it('is the fuller of CPU and memory, and 0 when nothing is allocatable', () => {
    expect(waterLevel({ cpuMillis: 1, memoryMiB: 75, pods: 0 }, { cpuMillis: 10, memoryMiB: 100, pods: 0 })).toBe(0.75);
    expect(waterLevel({ cpuMillis: 5, memoryMiB: 5, pods: 0 }, { cpuMillis: 0, memoryMiB: 0, pods: 0 })).toBe(0);
  });
  it('formats memory in Gi from 1024 MiB on', () => {
    expect(memory(512)).toBe('512Mi');
    expect(memory(65536)).toBe('64Gi');
  });
});
