/**
 * What the tiles page measures, the same way for every implementation: frames, messages handled, React commits,
 * renders per tile per frame, and when every tile shows a given final value. Lives on `window.pageStats`.
 */
export interface PageStats {
  impl: string;
  ready: boolean;
  error: string | undefined;
  /** Messages the client delivered to the page. */
  handled: number;
  /** Animation frames since the last reset. */
  frames: number;
  /** React commits that rendered at least one tile since the last reset (0 for the vanilla page). */
  commits: number;
  /** Tile renders (React) or tile DOM writes (vanilla) since the last reset. */
  renders: number;
  /** The most renders one tile had within one animation frame since the last reset. */
  maxRendersInFrame: number;
  /** Performance.now() of the last reset. */
  since: number;
}

declare global {
  interface Window {
    pageStats: PageStats;
    resetStats(): void;
    /** Resolves with Date.now() at the first frame where every tile's text is `value`. */
    whenAllTilesShow(value: string): Promise<number>;
  }
}

export const stats: PageStats = {
  impl: '',
  ready: false,
  error: undefined,
  handled: 0,
  frames: 0,
  commits: 0,
  renders: 0,
  maxRendersInFrame: 0,
  since: 0,
};
window.pageStats = stats;

let frame = 0;
const lastFrame: number[] = [];
const inFrame: number[] = [];
const waiting: { value: string; resolve(at: number): void }[] = [];

const tick = () => {
  frame++;
  stats.frames++;
  if (waiting.length > 0) {
    const texts = Array.from(document.querySelectorAll('.tile'), (tile) => tile.textContent);
    for (const wait of waiting.splice(0)) {
      if (texts.every((text) => text === wait.value)) wait.resolve(Date.now());
      else waiting.push(wait);
    }
  }
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);

let inCommit = false;
/**
 * Call from a layout effect without dependencies in each tile: it runs once per commit that rendered the tile,
 * and all layout effects of one commit run in one synchronous pass, so the first one counts the commit.
 */
export function countCommit(): void {
  if (inCommit) return;
  inCommit = true;
  stats.commits++;
  queueMicrotask(() => (inCommit = false));
}

/** Call once per render (or DOM write) of tile `i`. */
export function countRender(i: number): void {
  stats.renders++;
  if (lastFrame[i] === frame) {
    const n = (inFrame[i] ?? 0) + 1;
    inFrame[i] = n;
    if (n > stats.maxRendersInFrame) stats.maxRendersInFrame = n;
  } else {
    lastFrame[i] = frame;
    inFrame[i] = 1;
    if (stats.maxRendersInFrame === 0) stats.maxRendersInFrame = 1;
  }
}

window.resetStats = () => {
  Object.assign(stats, { handled: 0, frames: 0, commits: 0, renders: 0, maxRendersInFrame: 0, since: performance.now() });
};

window.whenAllTilesShow = (value) => new Promise((resolve) => waiting.push({ value, resolve }));

/** The page's parameters: `?ws=<url>&impl=mqttkit|hooks|vanilla&tiles=500&prefix=bench/tile`. */
export function params() {
  const search = new URLSearchParams(location.search);
  return {
    ws: search.get('ws') ?? '',
    impl: search.get('impl') ?? 'mqttkit',
    tiles: Number(search.get('tiles') ?? 500),
    prefix: search.get('prefix') ?? 'bench/tile',
  };
}
