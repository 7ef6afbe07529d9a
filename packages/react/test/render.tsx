/** Rendering helpers shared by the adapter tests. */
import { Component, StrictMode, type ReactNode } from 'react';
import { act, render, type RenderResult } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { vi } from 'vitest';
import type { MqttClientApi } from '@mqttkit/core';
import { MqttProvider } from '../src/index.ts';
import { FakeClient, ManualFrames } from './fakes.ts';

export interface Harness<C extends MqttClientApi = FakeClient> {
  client: C;
  frames: ManualFrames;
  /** Wraps `ui` in a provider on the harness's client and frames. */
  wrap(ui: ReactNode): ReactNode;
  mount(ui: ReactNode): RenderResult;
}

export function harness<C extends MqttClientApi = FakeClient>(
  client: C = new FakeClient() as unknown as C,
  { strict = false } = {},
): Harness<C> {
  const frames = new ManualFrames();
  const wrap = (ui: ReactNode) => {
    const tree = (
      <MqttProvider client={client} scheduleFrame={frames.schedule}>
        {ui}
      </MqttProvider>
    );
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
  return { client, frames, wrap, mount: (ui) => render(wrap(ui)) };
}

/** Counts renders per name, to prove who re-rendered. */
export class RenderCounter {
  readonly counts = new Map<string, number>();
  hit(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }
  reset(): void {
    this.counts.clear();
  }
}

/** Catches a render error so a test can look at it. */
export class Catch extends Component<{ children: ReactNode; onError: (error: unknown) => void }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: unknown): void {
    this.props.onError(error);
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

/**
 * Hydrates `app` into `container` (holding the server's HTML) and returns what React complained about: recoverable
 * errors (a mismatch) and console.error calls.
 */
export async function hydrateAndCollect(container: Element, app: ReactNode): Promise<{ recoverable: unknown[]; logged: unknown[][] }> {
  const errors = vi.spyOn(console, 'error');
  const recoverable: unknown[] = [];
  try {
    await act(async () => {
      hydrateRoot(container, app, { onRecoverableError: (error) => void recoverable.push(error) });
    });
    return { recoverable, logged: [...errors.mock.calls] };
  } finally {
    errors.mockRestore();
  }
}
