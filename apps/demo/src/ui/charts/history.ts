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

  /** The samples as JSON text, for `restore` after a reload. */
  save(): string {
    return JSON.stringify(this.columns());
  }

  /**
   * Puts saved samples (from `save`) back in front of any taken since: only those at or after `since` (seconds) and
   * before the first current one, at most `capacity` in all. Text that is not a saved history is ignored.
   */
  restore(saved: string | null, since: number): void {
    let columns: unknown;
    try {
      columns = JSON.parse(saved ?? 'null');
    } catch {
      return;
    }
    if (!Array.isArray(columns) || columns.length !== this.series.length + 1) return;
    const [times, ...series] = columns as unknown[][];
    if (!times?.every((time) => typeof time === 'number') || series.some((column) => column?.length !== times.length)) return;
    const first = this.times[0] ?? Infinity;
    const keep = (times as number[]).map((time, i) => (time >= since && time < first ? i : -1)).filter((i) => i >= 0);
    const room = Math.max(0, this.capacity - this.times.length);
    const chosen = keep.slice(Math.max(0, keep.length - room));
    if (chosen.length === 0) return;
    this.times.unshift(...chosen.map((i) => times[i] as number));
    this.series.forEach((column, s) => column.unshift(...chosen.map((i) => (series[s]![i] as number | null) ?? null)));
    this.version++;
    this.listeners.forEach((listener) => listener());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
