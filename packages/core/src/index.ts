/** @mqttkit/core: MQTT 3.1.1 and 5.0 for browsers, workers and Node. */
export * from './errors.ts';
export * from './codec/index.ts';
export * from './topics/index.ts';
export * from './client/index.ts';
