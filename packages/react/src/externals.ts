/**
 * Every runtime import of `react` and `@mqttkit/core`, in one place. Size is a feature: a bundler emits one import
 * statement per importing module, so routing them through here keeps one each in the built file.
 */
export {
  createContext,
  createElement,
  useContext,
  useEffect,
  useInsertionEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
export { initialClientState, MqttClient, MqttError, validateTopicFilter } from '@mqttkit/core';
