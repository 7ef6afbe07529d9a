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

const thermostats = DEVICES.filter((device) => device.kind === 'thermostat');
const meter = DEVICES.find((device) => device.kind === 'powerMeter');
const roomName = (id: string) => ROOMS.find((room) => room.id === id)?.name ?? id;
const decoder = new TextDecoder();

function useSampler(filter: string, topics: string[], read: (json: unknown) => number | undefined): SeriesHistory {
  const [history] = useState(() => new SeriesHistory(topics.length, HISTORY_POINTS));
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
    const timer = setInterval(() => {
      if (latest.current.size === 0) return;
      history.push(Date.now() / 1000, topics.map((topic) => latest.current.get(topic) ?? null));
    }, SAMPLE_MS);
    return () => clearInterval(timer);
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
