/** The baseline without React: MQTT.js, the latest value per tile kept, DOM writes batched per animation frame. */
import mqtt from 'mqtt';
import { countRender, params, stats } from './stats.ts';

export async function start(): Promise<void> {
  const { ws, tiles, prefix } = params();
  const container = document.getElementById('tiles')!;
  const cells: HTMLDivElement[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < tiles; i++) {
    const cell = document.createElement('div');
    cell.className = 'tile';
    cell.textContent = '-';
    container.append(cell);
    cells.push(cell);
    index.set(`${prefix}/${i}`, i);
  }
  const latest: (string | undefined)[] = new Array(tiles);
  const dirty = new Set<number>();
  let scheduled = false;
  const decoder = new TextDecoder();
  const flush = () => {
    scheduled = false;
    for (const i of dirty) {
      cells[i]!.textContent = latest[i]!;
      countRender(i);
    }
    dirty.clear();
  };
  const client = mqtt.connect(ws, { protocolVersion: 5, reconnectPeriod: 0 });
  client.on('message', (topic, payload) => {
    stats.handled++;
    const i = index.get(topic);
    if (i === undefined) return;
    latest[i] = decoder.decode(payload);
    dirty.add(i);
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(flush);
    }
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await new Promise<void>((resolve, reject) =>
    client.subscribe([...index.keys()], { qos: 0 }, (error) => (error ? reject(error) : resolve())),
  );
}
