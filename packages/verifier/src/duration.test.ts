import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationToMs } from './duration.ts';

describe('durationToMs', () => {
  const cases: [string | number, number | undefined][] = [
    ['30d', 30 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['90m', 90 * 60_000],
    ['3600s', 3_600_000],
    [3600, 3_600_000],
    ['0d', undefined],
    [0, undefined],
    [-5, undefined],
    [1.5, undefined],
    ['7', undefined],
    ['7 days', undefined],
    ['1w', undefined],
    ['-1d', undefined],
    ['', undefined],
  ];
  for (const [input, ms] of cases) {
    it(`${JSON.stringify(input)} -> ${ms}`, () => assert.equal(durationToMs(input), ms));
  }
});
