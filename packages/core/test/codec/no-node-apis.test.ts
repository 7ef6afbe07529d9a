/** @mqttkit/core runs in browsers and workers: nothing under packages/core/src may reach for Node. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const FORBIDDEN: [string, RegExp][] = [
  ['Buffer', /\bBuffer\b/],
  ['process.', /\bprocess\./],
  ["from 'node:", /from\s+['"]node:/],
  ['require(', /\brequire\s*\(/],
];

describe('core stays browser-native', () => {
  it('no Buffer, process., node: imports or require( under packages/core/src', () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(10);
    const hits: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [name, pattern] of FORBIDDEN) if (pattern.test(line)) hits.push(`${file.slice(src.length + 1)}:${i + 1} uses ${name}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });
});
