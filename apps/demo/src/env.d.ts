// The one build-time variable the dashboard reads (Vite exposes VITE_-prefixed variables on import.meta.env).
interface ImportMetaEnv {
  readonly VITE_MQTT_URL?: string;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
