/** Heap measurement after a full garbage collection, for flat-memory checks inside a test process. */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Runs a full GC (exposing it on demand when node was not started with --expose-gc) and returns heapUsed. */
export function heapAfterGc(): number {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  return process.memoryUsage().heapUsed;
}
