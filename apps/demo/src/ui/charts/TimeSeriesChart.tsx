/**
 * A live line chart drawn by uPlot (canvas, ~50 KB, fast enough to redraw every second without dropping frames).
 * Sized by its container, which has a fixed size with `contain: strict`; the legend is our own accessible list.
 */
import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SeriesHistory } from './history.ts';

export interface SeriesStyle {
  label: string;
  /** A CSS custom property holding the colour, e.g. `--series-1`, so both themes pick their own. */
  colorVar: string;
}

interface Props {
  title: string;
  history: SeriesHistory;
  series: SeriesStyle[];
  format(value: number): string;
  /** Re-create the chart when this changes (the theme: uPlot bakes colours into its options). */
  theme: string;
  /** Fix the y range's lower bound at 0 (power), or let it follow the data (temperature). */
  fromZero?: boolean;
  /** The smallest y span shown, so a flat line does not fill the chart with identical tick labels. */
  minSpan?: number;
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
const formatTick = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function cssVar(element: Element, name: string): string {
  return getComputedStyle(element).getPropertyValue(name).trim() || '#888';
}

export function TimeSeriesChart({ title, history, series, format, theme, fromZero = false, minSpan = 1 }: Props): ReactNode {
  const container = useRef<HTMLDivElement>(null);
  // Re-render the legend's latest values on each sample; the plot itself is redrawn by uPlot below.
  useSyncExternalStore(
    (listener) => history.subscribe(listener),
    () => history.version,
  );

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const axisColor = cssVar(element, '--text-muted');
    const gridColor = cssVar(element, '--grid');
    const axis: uPlot.Axis = { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 } };
    const options: uPlot.Options = {
      width: Math.max(100, element.clientWidth),
      height: Math.max(80, element.clientHeight),
      legend: { show: false },
      // Room on the right for the last time label, which uPlot centres on its tick.
      padding: [8, 28, 0, 0],
      cursor: { show: false },
      scales: {
        x: { time: true },
        y: {
          range: (_u, min, max): uPlot.Range.MinMax => {
            if (fromZero) return [0, Math.max(minSpan, max * 1.15)];
            const middle = (min + max) / 2;
            const span = Math.max(minSpan, (max - min) * 1.2);
            return [middle - span / 2, middle + span / 2];
          },
        },
      },
      axes: [
        // Whole seconds and minutes only, as wall-clock times: no "12.500 s" ticks while history is short.
        { ...axis, space: 70, incrs: TIME_STEPS, values: (_u, ticks) => ticks.map(formatTick) },
        { ...axis, size: 72, values: (_u, ticks) => ticks.map((tick) => format(tick)) },
      ],
      series: [
        {},
        ...series.map((style) => ({ label: style.label, stroke: cssVar(element, style.colorVar), width: 2, points: { show: false } })),
      ],
    };
    const chart = new uPlot(options, history.columns() as uPlot.AlignedData, element);
    const unsubscribe = history.subscribe(() => chart.setData(history.columns() as uPlot.AlignedData));
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(100, element.clientWidth), height: Math.max(80, element.clientHeight) }));
    resize.observe(element);
    return () => {
      unsubscribe();
      resize.disconnect();
      chart.destroy();
    };
    // Series and format are fixed per chart; the theme changes colours.
  }, [history, theme]);

  return (
    <figure className="chart" aria-label={title} data-samples={history.length}>
      <figcaption className="chart__head">
        <span className="chart__title">{title}</span>
        <ul className="chart__legend">
          {series.map((style, i) => {
            const value = history.latest(i);
            return (
              <li key={style.label}>
                <span className="chart__swatch" style={{ background: `var(${style.colorVar})` }} aria-hidden="true" />
                {style.label} <strong>{value === null ? '–' : format(value)}</strong>
              </li>
            );
          })}
        </ul>
      </figcaption>
      <div className="chart__plot" ref={container} aria-hidden="true" />
    </figure>
  );
}
