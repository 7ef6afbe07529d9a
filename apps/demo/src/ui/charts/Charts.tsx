/** Live temperature and power charts fed by `useMqttSubscription`, sampled once a second into bounded histories. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useMqttSubscription } from '@mqttkit/react';
import { DEVICES, ROOMS } from '../../devices/home.ts';
import type { PowerMeterState } from '../../devices/power-meter.ts';
import type { ThermostatState } from '../../devices/thermostat.ts';
import { formatPower } from '../format.ts';
import { SeriesHistory } from './history.ts';
import { TimeSeriesChart } from './TimeSeriesChart.tsx';

/** Ten minutes at one sample per second. */
export const HISTORY_POINTS = 600;
const SAMPLE_MS = 1000;
/** Saved every few samples and when the page is hidden, so a reload (or a kiosk's restart) keeps the trend. */
const SAVE_EVERY = 5;
const storageKey = (filter: string) => `mqttkit-demo:history:${filter}`;

/** localStorage, or nothing where it is unavailable (private modes, storage disabled). */
function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const thermostats = DEVICES.filter((device) => device.kind === 'thermostat');
const meter = DEVICES.find((device) => device.kind === 'powerMeter');
const roomName = (id: string) => ROOMS.find((room) => room.id === id)?.name ?? id;
const decoder = new TextDecoder();

function useSampler(filter: string, topics: string[], read: (json: unknown) => number | undefined): SeriesHistory {
  const [history] = useState(() => {
    const restored = new SeriesHistory(topics.length, HISTORY_POINTS);
    restored.restore(storage()?.getItem(storageKey(filter)) ?? null, Date.now() / 1000 - (HISTORY_POINTS * SAMPLE_MS) / 1000);
    return restored;
  });
  const latest = useRef(new Map<string, number>());
  useMqttSubscription(filter, (message) => {
    try {
      const value = read(JSON.parse(decoder.decode(message.payload)));
      if (value !== undefined) latest.current.set(message.topic, value);
    } catch {
      // Not JSON: ignore it, keep the last good reading.
    }
  }, { qos: 0 });
  useEffect(() => {
    const save = () => {
      try {
        storage()?.setItem(storageKey(filter), history.save());
      } catch {
        // Storage full or refused: the chart still works, it just starts empty next time.
      }
    };
    let samples = 0;
    const timer = setInterval(() => {
      if (latest.current.size === 0) return;
      history.push(Date.now() / 1000, topics.map((topic) => latest.current.get(topic) ?? null));
      if (++samples % SAVE_EVERY === 0) save();
    }, SAMPLE_MS);
    addEventListener('pagehide', save);
    return () => {
      clearInterval(timer);
      removeEventListener('pagehide', save);
      save();
    };
  }, [history]);
  return history;
}

const temperatureSeries = thermostats.map((device, i) => ({ label: roomName(device.room), colorVar: `--series-${i + 1}` }));
const powerSeries = [{ label: 'House', colorVar: '--series-3' }];

export function Charts({ theme }: { theme: string }): ReactNode {
  const temperatures = useSampler(
    'myhome/+/thermostat/state',
    thermostats.map((device) => device.topics.state),
    (json) => (json as Partial<ThermostatState>).temperature,
  );
  const power = useSampler(meter?.topics.state ?? 'myhome/utility/power-meter/state', meter ? [meter.topics.state] : [], (json) => (json as Partial<PowerMeterState>).power);
  return (
    <section className="charts" aria-labelledby="charts-title">
      <h2 id="charts-title" className="section-title">
        Trends
      </h2>
      <TimeSeriesChart title="Temperature" history={temperatures} series={temperatureSeries} format={(value) => `${value.toFixed(1)}°`} theme={theme} minSpan={2} />
      <TimeSeriesChart title="Power" history={power} series={powerSeries} format={formatPower} theme={theme} fromZero minSpan={500} />
    </section>
  );
}
