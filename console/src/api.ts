// The console's client of the control plane's /api/v1. The token lives only in this object's
// memory (never in storage, a cookie or a URL): reloading the page means logging in again. Every
// request carries it as 'Authorization: Bearer', so no cross-site request can act as the user.

export interface Quantities { cpuMillis: number; memoryMiB: number; pods: number }
export interface Session { tokenId: string; role: string; tenant: string | null }
export interface Taint { key: string; value: string; effect: string }
export interface Cluster {
  name: string; state: string; labels: Record<string, string>; taints: Taint[];
  allocatable: Quantities; requested: Quantities; free: Quantities; costPerCpuHour: number;
  agentVersion: string; kubernetesVersion: string; lastHeartbeat: number; resourceVersion: number;
}
export interface Sample { at: number; state: string; allocatable: Quantities; requested: Quantities }
export interface AppOnCluster { tenant: string; name: string; desired: number; ready: number; cpuMillis: number; memoryMiB: number }
export interface ClusterDetail { cluster: Cluster; history: Sample[]; apps: AppOnCluster[] }
export interface ClusterReplicas { cluster: string; desired: number; ready: number }
export interface Condition { type: string; status: string; reason: string; message: string; lastTransition: number }
export interface App {
  tenant: string; name: string; generation: number; observedGeneration: number; image: string;
  replicas: number; cpuMillis: number; memoryMiB: number; type: string; desired: number; ready: number;
  unschedulable: number; unschedulableReason: string; clusters: ClusterReplicas[];
  conditions: Condition[]; resourceVersion: number; updatedAt: number;
}
/** The app's spec as one cluster runs it: the overrides that matched it, in the order they applied. */
export interface Effective {
  image: string; cpuMillis: number; memoryMiB: number; env: { name: string; value: string }[];
  labels: Record<string, string>; annotations: Record<string, string>; replicasFloor: number; appliedOverrides: string[];
}
export interface Decision {
  cluster: string; feasible: boolean; reason: string | null; weight: number; fit: number;
  score: number; replicas: number; note: string | null;
  /** Absent for a cluster that is no longer registered. */
  effective?: Effective | null;
}
export interface Explanation {
  placements: { cluster: string; replicas: number }[]; unschedulable: number;
  unschedulableReason: string; clusters: Decision[]; generation: number; computedAt: number;
}
export interface WaterLevel {
  key: string; clusterCount: number; readyCount: number; allocatable: Quantities;
  requested: Quantities; free: Quantities;
}
export interface Quota { cpuMillis: number | null; memoryMiB: number | null; replicas: number | null }
export interface TenantUsage {
  tenant: string; requested: Quantities; replicas: number; quota: Quota;
  clusters: { cluster: string; replicas: number; requested: Quantities }[];
}
export interface Tenant { name: string; displayName: string; usage: TenantUsage }
export interface WhatIfShare { cluster: string; cloud: boolean; before: number; after: number }
export interface WhatIfApp {
  tenant: string; name: string; replicasBefore: number; replicas: number; newApp: boolean; shares: WhatIfShare[];
  unschedulable: number; unschedulableReason: string; unschedulableBefore: number; idcReplicas: number;
  cloudReplicas: number; cloudCostPerHour: number; cloudCostPerHourBefore: number; lostReplicas: number;
  quotaExceeded: string;
}
export interface WhatIfClusterLevel {
  cluster: string; cloud: boolean; lost: boolean; allocatable: Quantities; requestedBefore: Quantities; requestedAfter: Quantities;
}
export interface WhatIfAnswer {
  summary: {
    fits: boolean; apps: number; idcReplicas: number; cloudReplicas: number; cloudCostPerHour: number;
    cloudCostPerHourBefore: number; unschedulable: number; lostReplicas: number; startedReplicas: number;
  };
  apps: WhatIfApp[]; lostClusters: string[]; clusters: WhatIfClusterLevel[];
}
export interface WhatIfScale { tenant: string; name: string; replicas: number }
export interface NewApp { tenant: string; name: string; image: string; replicas: number; cpuMillis: number; memoryMiB: number; type: string }

export interface PlanTarget { tenant: string; app?: string; appPattern?: string; peakReplicas?: number | null; multiplier?: number | null }
export interface PlanSpec {
  window: { start: number; end: number; rampSteps: number; rampStepSeconds: number };
  targets: PlanTarget[];
  cloudClusters?: { names?: string[]; matchLabels?: Record<string, string> } | null;
  budget?: { maxCloudReplicas?: number | null; maxCloudCostPerHour?: number | null };
  raiseTenantQuotas?: boolean;
}
export interface TargetProgress {
  tenant: string; app: string; originalReplicas: number; peakReplicas: number; appliedReplicas: number;
  cloudReplicas: number; cloudCostPerHour: number; userOwned: boolean; skippedReason: string; restored: boolean;
}
export interface Plan {
  name: string; state: string; reason: string; cancelRequested: boolean; createdBy: string; spec: PlanSpec;
  progress: { stepsApplied: number; steps: number; cloudReplicas: number; cloudCostPerHour: number; targets: TargetProgress[] };
  resourceVersion: number; createdAt: number; updatedAt: number;
}
export interface PlanEvent { at: number; kind: string; message: string }
export interface DryRunApp {
  tenant: string; app: string; currentReplicas: number; peakReplicas: number; idcReplicas: number; cloudReplicas: number;
  unschedulable: number; unschedulableReason: string; cloudCostPerHour: number; placement: Record<string, number>;
}
export interface DryRun {
  apps: DryRunApp[]; idcReplicas: number; cloudReplicas: number; unschedulable: number; cloudCostPerHour: number;
  quotaHits: { tenant: string; resource: string; quota: number; needed: number; raised: boolean }[]; notes: string[];
  /** Clusters whose load the plan changes: requested now (`requestedBefore`) and at the peak (`requestedAfter`). */
  clusters: WhatIfClusterLevel[];
}
export interface Revision {
  revision: number; generation: number; createdAt: number; createdBy: string; image: string; cpuMillis: number;
  memoryMiB: number; env: { name: string; value: string }[]; ports: { name: string; containerPort: number; protocol: string }[];
}
export interface RolloutCluster {
  cluster: string; revision: number; reportedRevision: number; desired: number; updated: number; ready: number;
  available: number; state: string; message: string;
}
export interface RolloutStage {
  name: string; state: string; gate: string; soakSeconds: number; readySince: number; clusters: RolloutCluster[];
}
export interface Rollout {
  rolloutId: number; fromRevision: number; toRevision: number; state: string; currentStage: number; message: string;
  createdBy: string; createdAt: number; updatedAt: number;
  strategy: {
    stages: { name: string; clusterSelector: Record<string, string>; maxUnavailableClusters: number; soakSeconds: number; gate: string }[];
    maxSurge: number; maxUnavailable: number; onFailure: string; progressDeadlineSeconds: number; minReadyPercent: number;
  };
  stages: RolloutStage[];
}
export type RolloutAction = 'pause' | 'resume' | 'approve' | 'abort';
export interface AppDetail { app: App; explanation: Explanation; rollout: Rollout | null }
export interface RevisionDiff { from: number; to: number; changes: { path: string; from: string; to: string }[] }

export interface ConsoleEvent { kind: string; tenant: string | null; name: string | null; reason: string; at: number }

/** An answer other than 2xx, with the server's sentence; `code` is the gRPC code's name. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly violations: { field: string; description: string }[] = [],
  ) {
    super(message);
  }
}

/** A readable message for any failure: the server's sentence, or what went wrong on the way. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.violations.length > 1 ? ` (${e.violations.map((v) => v.field).join(', ')})` : '';
    return `${e.message}${fields} [${e.code}, HTTP ${e.status}]`;
  }
  if (e instanceof TypeError) return `the control plane did not answer: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

type Fetch = typeof fetch;

export class Api {
  private token: string | null = null;
  constructor(private readonly fetcher: Fetch = (...a) => fetch(...a), private readonly base = '/api/v1') {}

  setToken(token: string | null) { this.token = token; }
  hasToken() { return this.token !== null; }

  private headers(json: boolean): HeadersInit {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetcher(this.base + path, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
    const text = await res.text();
    let data: any = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
    if (!res.ok) {
      const code = data?.code ?? `HTTP_${res.status}`;
      const message = data?.message ?? (text.trim() || res.statusText || `HTTP ${res.status}`);
      throw new ApiError(res.status, code, message, data?.violations ?? []);
    }
    return data as T;
  }

  session() { return this.request<Session>('GET', '/session'); }
  clusters() { return this.request<{ clusters: Cluster[] }>('GET', '/clusters'); }
  cluster(name: string) { return this.request<ClusterDetail>('GET', `/clusters/${enc(name)}`); }
  mark(name: string, action: 'cordon' | 'uncordon' | 'drain', resourceVersion: number) {
    return this.request<Cluster>('POST', `/clusters/${enc(name)}/${action}`, { resourceVersion });
  }
  apps(tenant = '', pageToken = '', pageSize = 200) {
    const q = new URLSearchParams({ tenant, pageToken, pageSize: String(pageSize) });
    return this.request<{ apps: App[]; nextPageToken: string }>('GET', `/apps?${q}`);
  }
  app(tenant: string, name: string) {
    return this.request<AppDetail>('GET', `/apps/${enc(tenant)}/${enc(name)}`);
  }
  createApp(a: { tenant: string; name: string; image: string; replicas: number; cpuMillis: number; memoryMiB: number; type: string }) {
    return this.request<App>('POST', '/apps', a);
  }
  scale(tenant: string, name: string, replicas: number, resourceVersion: number) {
    return this.request<App>('POST', `/apps/${enc(tenant)}/${enc(name)}/scale`, { replicas, resourceVersion });
  }
  tenants(pageToken = '') {
    return this.request<{ tenants: Tenant[]; nextPageToken: string }>('GET', `/tenants?${new URLSearchParams({ pageToken })}`);
  }
  whatIfApps(scales: WhatIfScale[], creates: NewApp[]) {
    return this.request<WhatIfAnswer>('POST', '/capacity/what-if/apps', { scales, creates });
  }
  whatIfClusterLoss(clusters: string[], idc: string) {
    return this.request<WhatIfAnswer>('POST', '/capacity/what-if/cluster-loss', { clusters, idc });
  }
  plans(pageToken = '') {
    return this.request<{ plans: Plan[]; nextPageToken: string }>('GET', `/peak-events?${new URLSearchParams({ pageToken })}`);
  }
  plan(name: string) { return this.request<{ plan: Plan; events: PlanEvent[] }>('GET', `/peak-events/${enc(name)}`); }
  createPlan(name: string, spec: PlanSpec) { return this.request<Plan>('POST', '/peak-events', { name, spec }); }
  dryRun(name: string, spec: PlanSpec | null) { return this.request<DryRun>('POST', '/peak-events/dry-run', { name, spec }); }
  cancelPlan(name: string) { return this.request<Plan>('POST', `/peak-events/${enc(name)}/cancel`, {}); }
  revisions(tenant: string, name: string) {
    return this.request<{ current: number; revisions: Revision[] }>('GET', `/apps/${enc(tenant)}/${enc(name)}/revisions`);
  }
  revisionDiff(tenant: string, name: string, from: number, to: number) {
    const q = new URLSearchParams({ from: String(from), to: String(to) });
    return this.request<RevisionDiff>('GET', `/apps/${enc(tenant)}/${enc(name)}/revisions/diff?${q}`);
  }
  rollout(tenant: string, name: string) { return this.request<Rollout>('GET', `/apps/${enc(tenant)}/${enc(name)}/rollout`); }
  /** Pause, resume, approve (`stage`: the stage it waits at) or abort rollout `rolloutId` (0: whichever is latest). */
  rolloutAction(tenant: string, name: string, action: RolloutAction, rolloutId: number, stage = '') {
    const body = action === 'approve' ? { rolloutId, stage } : { rolloutId };
    return this.request<Rollout>('POST', `/apps/${enc(tenant)}/${enc(name)}/rollout/${action}`, body);
  }
  rollback(tenant: string, name: string, toRevision: number, immediate: boolean, resourceVersion = 0) {
    return this.request<{ revision: number; app: App; rollout: Rollout | null }>(
      'POST', `/apps/${enc(tenant)}/${enc(name)}/rollout/rollback`, { toRevision, immediate, resourceVersion });
  }
  capacity(by: string) { return this.request<{ by: string; levels: WaterLevel[]; total: WaterLevel }>('GET', `/capacity?by=${enc(by)}`); }

  /**
   * Follows /events until `signal` aborts, calling `onEvent` for each server-sent event. Uses
   * fetch rather than EventSource so that the bearer header goes with it (EventSource cannot send
   * headers, and a token in the URL would end up in logs). Rejects when the stream fails.
   */
  async follow(onEvent: (name: string, data: unknown) => void, signal: AbortSignal): Promise<void> {
    const res = await this.fetcher(this.base + '/events', {
      headers: { ...this.headers(false), Accept: 'text/event-stream' }, signal, credentials: 'omit',
    });
    if (!res.ok || !res.body) throw new ApiError(res.status, `HTTP_${res.status}`, 'the event stream was refused');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser(onEvent);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.push(value);
    }
  }
}

function enc(s: string) { return encodeURIComponent(s); }

/** Incremental text/event-stream parser: `event:` and `data:` lines, blank line ends an event. */
export class SseParser {
  private buffer = '';
  private name = 'message';
  private data: string[] = [];
  constructor(private readonly onEvent: (name: string, data: unknown) => void) {}

  push(chunk: string) {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.search(/\r?\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer[nl] === '\r' ? 2 : 1));
      this.line(line);
    }
  }

  private line(line: string) {
    if (line === '') {
      if (this.data.length > 0) {
        const raw = this.data.join('\n');
        let parsed: unknown = raw;
        try { parsed = JSON.parse(raw); } catch { /* plain text data */ }
        this.onEvent(this.name, parsed);
      }
      this.name = 'message';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.name = value;
    else if (field === 'data') this.data.push(value);
  }
}
