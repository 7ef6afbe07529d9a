/** The client's core behaviours, run against one broker at one protocol level: see `BrokerTarget` for the quirks. */
import type { BrokerTarget } from '../support/target.ts';
import { describeDelivery } from './delivery.ts';
import { describeRefusal } from './refusal.ts';
import { describeSession } from './session.ts';
import { describeWill } from './will.ts';

export function describeClientMatrix(target: BrokerTarget): void {
  describeDelivery(target);
  describeWill(target);
  describeSession(target);
  describeRefusal(target);
}

export { specQuirks, type BrokerTarget, type Quirks } from '../support/target.ts';
