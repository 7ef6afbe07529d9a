import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topicFilterProblem } from '../../src/topics/index.ts';
import { isFilterShape } from '../../src/topics/validate.ts';

/** The filter rules level by level, written the plain way, as an oracle for the regular expressions. */
function reference(filter: string): boolean {
  if (!filter) return false;
  let levels = filter.split('/');
  if (filter.startsWith('$share/')) {
    const group = levels[1]!;
    if (levels.length < 3 || !group || /[+#]/.test(group)) return false;
    levels = levels.slice(2);
    if (levels.join('/') === '') return false;
  }
  return levels.every((level, i) => level === '+' || (level === '#' && i === levels.length - 1) || !/[+#]/.test(level));
}

describe('isFilterShape (the codec\'s filter check)', () => {
  it('[MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.8.2-1] agrees with the level-by-level rules and with topicFilterProblem', () => {
    const piece = fc.constantFrom('a', 'b', '/', '+', '#', '$share/', '$share', 'g', '\n', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), (filter) => {
        expect(isFilterShape(filter)).toBe(reference(filter));
        expect(topicFilterProblem(filter) === undefined).toBe(reference(filter));
      }),
      { numRuns: 5000 },
    );
  });
});
