/**
 * Structured logs: one line per event, `time level message key=value ...` (logfmt), readable by people and
 * parseable by tools. The broker takes any `Logger`, so a host application can route them elsewhere.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[\w.:/@+-]+$/.test(text) ? text : JSON.stringify(text);
}

/** A logfmt logger writing to `write` (stderr by default) for events at `level` or above. */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const threshold = rank[level];
  const log = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
    if (rank[at] < threshold) return;
    let line = `${new Date().toISOString()} ${at} ${formatValue(message)}`;
    if (fields) {
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
    }
    write(line + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function isLogLevel(value: string): value is LogLevel {
  return value in rank;
}
