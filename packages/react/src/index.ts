/** @mqttkit/react: React hooks over @mqttkit/core's client. No protocol logic here: state and subscriptions live in core. */
// The order of these lines sets the order of the modules in a bundle; this one gzips smallest (`npm run size`).
export { useMqttTopic, type TopicOptions } from './use-mqtt-topic.ts';
export { useMqttClient } from './context.ts';
export { useMqttMessages, type MessagesOptions } from './use-mqtt-messages.ts';
export { useMqttStatus } from './use-mqtt-status.ts';
export { MqttProvider, type MqttProviderProps, type ClientProps, type UrlProps } from './provider.ts';
export { json, text } from './parse.ts';
export { usePublish, useMqttRequest, type PublishState, type RequestState } from './use-publish.ts';
export { useMqttSubscription } from './use-mqtt-subscription.ts';
export type { FrameScheduler } from './notify.ts';
