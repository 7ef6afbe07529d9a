const decoder = new TextDecoder();

/** The default `parse`: the payload as UTF-8 text. */
export const text = (payload: Uint8Array): string => decoder.decode(payload);

/** A `parse` for JSON payloads: `useMqttTopic('room/1', { parse: json<Reading> })`. */
export const json = <T = unknown>(payload: Uint8Array): T => JSON.parse(text(payload)) as T;
