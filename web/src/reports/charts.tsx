import { useEffect, useRef, useState } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import type { components } from '../api/schema.js';
import 'uplot/dist/uPlot.min.css';
import './charts.css';

/**
 * Report charts drawn with uPlot (canvas). A canvas says nothing to a screen reader, so every
 * chart is a <figure> whose caption names the table holding the same figures (on the page, or
 * in the <details> under the chart), and the canvas is hidden from assistive technology.
 */

const PALETTE = ['#2563eb', '#93c5fd', '#dc2626', '#fca5a5', '#16a34a', '#ca8a04', '#9333ea', '#0891b2'];

/** Follows the container's width, so the same chart fits a phone and a desktop. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

function UPlotChart({ options, data }: { options: Omit<Options, 'width' | 'height'>; data: AlignedData }) {
  const [ref, width] = useWidth();
  const plotRef = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!plotRef.current || width === 0) return;
    const plot = new uPlot({ ...options, width, height: 240 } as Options, data, plotRef.current);
    return () => plot.destroy();
  }, [options, data, width]);
  return (
    <div ref={ref} className="chart-frame">
      <div ref={plotRef} aria-hidden="true" />
    </div>
  );
}

type Figure = components['schemas']['ReportFigure'];

/** One trend bucket of the incident report, as the charts read it. */
export interface TrendPoint {
  start: string;
  tta: Pick<Figure, 'median' | 'p90'>;
  ttr: Pick<Figure, 'median' | 'p90'>;
  severityCounts: Record<string, number>;
}

const minutes = (s: number | null) => (s === null ? null : Math.round((s / 60) * 10) / 10);
const epochSeconds = (iso: string) => Date.parse(iso) / 1000;

/** MTTA and MTTR, median and p90, per week or month, in minutes. */
export function TimesTrendChart({ points, bucket }: { points: TrendPoint[]; bucket: string }) {
  const data: AlignedData = [
    points.map((p) => epochSeconds(p.start)),
    points.map((p) => minutes(p.tta.median)),
    points.map((p) => minutes(p.tta.p90)),
    points.map((p) => minutes(p.ttr.median)),
    points.map((p) => minutes(p.ttr.p90)),
  ];
  const options: Omit<Options, 'width' | 'height'> = {
    title: undefined,
    scales: { x: { time: true } },
    axes: [{}, { label: 'minutes' }],
    series: [
      { label: bucket },
      { label: 'TTA median', stroke: PALETTE[0], width: 2, spanGaps: true },
      { label: 'TTA p90', stroke: PALETTE[1], width: 2, dash: [6, 4], spanGaps: true },
      { label: 'TTR median', stroke: PALETTE[2], width: 2, spanGaps: true },
      { label: 'TTR p90', stroke: PALETTE[3], width: 2, dash: [6, 4], spanGaps: true },
    ],
  };
  return (
    <figure className="chart" data-chart="times">
      <figcaption>Time to acknowledge and resolve per {bucket} (median and p90, minutes). The same figures: table “Trend by {bucket}” below.</figcaption>
      <UPlotChart options={options} data={data} />
    </figure>
  );
}

const bars = uPlot.paths.bars!({ size: [0.7, 60] });

/** Incident counts per severity per bucket (bars, one series per severity). */
export function SeverityCountChart({ points, bucket, severities }: { points: TrendPoint[]; bucket: string; severities: string[] }) {
  const data: AlignedData = [points.map((p) => epochSeconds(p.start)), ...severities.map((s) => points.map((p) => p.severityCounts[s] ?? 0))];
  const options: Omit<Options, 'width' | 'height'> = {
    scales: { x: { time: true } },
    axes: [{}, { label: 'incidents' }],
    series: [{ label: bucket }, ...severities.map((s, i) => ({ label: s, stroke: PALETTE[(i * 2) % PALETTE.length], fill: `${PALETTE[(i * 2) % PALETTE.length]}55`, paths: bars }))],
  };
  return (
    <figure className="chart" data-chart="severity-counts">
      <figcaption>Incidents per severity per {bucket}.</figcaption>
      <UPlotChart options={options} data={data} />
      <details>
        <summary>As a table</summary>
        <table className="report-table">
          <caption>Incidents per severity per {bucket}</caption>
          <thead><tr><th scope="col">{bucket}</th>{severities.map((s) => <th key={s} scope="col">{s}</th>)}</tr></thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.start}><th scope="row">{p.start.slice(0, 10)}</th>{severities.map((s) => <td key={s}>{p.severityCounts[s] ?? 0}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export type HistogramBucket = Figure['histogram'][number];

const boundText = (le: number | null, prev: number | null) => {
  const t = (s: number) => (s < 3600 ? `${s / 60} min` : `${s / 3600} h`);
  return le === null ? `> ${t(prev ?? 0)}` : `≤ ${t(le)}`;
};

/** Time-to-acknowledge histogram: how many incidents fell in each fixed bucket. */
export function AckHistogramChart({ histogram }: { histogram: HistogramBucket[] }) {
  const labels = histogram.map((b, i) => boundText(b.le, histogram[i - 1]?.le ?? null));
  const data: AlignedData = [histogram.map((_, i) => i), histogram.map((b) => b.count)];
  const options: Omit<Options, 'width' | 'height'> = {
    scales: { x: { time: false, range: [-0.5, histogram.length - 0.5] } },
    axes: [{ values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? labels[t] ?? '' : '')), splits: () => histogram.map((_, i) => i) }, { label: 'incidents' }],
    series: [{ label: 'bucket', value: (_u, v) => (v === null ? '' : labels[v] ?? '') }, { label: 'Time to acknowledge', stroke: PALETTE[0], fill: `${PALETTE[0]}88`, paths: bars }],
  };
  return (
    <figure className="chart" data-chart="tta-histogram">
      <figcaption>Time to acknowledge, histogram (acknowledged incidents).</figcaption>
      <UPlotChart options={options} data={data} />
      <details>
        <summary>As a table</summary>
        <table className="report-table">
          <caption>Time to acknowledge, histogram</caption>
          <thead><tr><th scope="col">Time to acknowledge</th><th scope="col">Incidents</th></tr></thead>
          <tbody>{histogram.map((b, i) => <tr key={i}><th scope="row">{labels[i]}</th><td>{b.count}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
