/**
 * A bounded history of samples on one time axis, in the column layout uPlot draws from. Old samples fall off the
 * front, so a dashboard left running for days holds at most `capacity` points per series.
 */
export type Columns = [number[], ...(number | null)[][]];

export class SeriesHistory {
  private readonly times: number[] = [];
  private readonly series: (number | null)[][];
  private listeners = new Set<() => void>();
  /** Grows on every push: a cheap snapshot for `useSyncExternalStore`. */
  version = 0;

  constructor(
    readonly seriesCount: number,
    readonly capacity: number,
  ) {
    this.series = Array.from({ length: seriesCount }, () => []);
  }

  get length(): number {
    return this.times.length;
  }

  /** Appends one sample (time in seconds, one value or null per series) and drops the oldest beyond capacity. */
  push(time: number, values: readonly (number | null)[]): void {
    this.times.push(time);
    this.series.forEach((column, i) => column.push(values[i] ?? null));
    if (this.times.length > this.capacity) {
      this.times.shift();
      for (const column of this.series) column.shift();
    }
    this.version++;
    this.listeners.forEach((listener) => listener());
  }

  /** The columns as uPlot wants them: `[times, series1, series2, ...]`. */
  columns(): Columns {
    return [this.times, ...this.series];
  }

  /** The newest value of series `index`, or null. */
  latest(index: number): number | null {
    const column = this.series[index];
    return column?.[column.length - 1] ?? null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
