import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Sample } from '../api';
import { fill } from '../format';

/** CPU and memory requested, as a share of allocatable, over the sampled history (uPlot). */
export function CapacityChart({ samples }: { samples: Sample[] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || samples.length === 0 || typeof window.matchMedia !== 'function') return;
    const data: uPlot.AlignedData = [
      samples.map((s) => s.at / 1000),
      samples.map((s) => 100 * fill(s.requested.cpuMillis, s.allocatable.cpuMillis)),
      samples.map((s) => 100 * fill(s.requested.memoryMiB, s.allocatable.memoryMiB)),
    ];
    const plot = new uPlot({
      width: 720, height: 220,
      scales: { y: { range: [0, 100] } },
      series: [{}, { label: 'CPU requested %', stroke: '#2b6cb0' }, { label: 'memory requested %', stroke: '#c05621' }],
      axes: [{}, { values: (_u, v) => v.map((x) => `${x}%`) }],
    }, data, el.current);
    return () => plot.destroy();
  }, [samples]);
  if (samples.length === 0) return <p class="hint">No capacity samples yet (one every sample interval).</p>;
  return <div ref={el} class="chart" data-testid="capacity-chart" />;
}
