import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { objectArray } from './object-array.js';

// V8's own test of an array's elements kind (natives syntax, enabled for the functions compiled after this)
setFlagsFromString('--allow-natives-syntax');
const hasSmiElements = new Function('a', 'return %HasSmiElements(a)') as (a: unknown[]) => boolean;
const hasObjectElements = new Function('a', 'return %HasObjectElements(a)') as (a: unknown[]) => boolean;

describe('objectArray', () => {
  it('is an empty array in the generic elements kind, unlike an empty literal, and stays in it', () => {
    expect(hasSmiElements([])).toBe(true); // what the helper avoids
    const a = objectArray<{ n: number }>();
    expect(a).toEqual([]);
    expect(hasSmiElements(a)).toBe(false);
    expect(hasObjectElements(a)).toBe(true);
    a.push({ n: 1 }, { n: 2 });
    a.splice(0, 1);
    expect(a).toEqual([{ n: 2 }]);
    a.length = 0;
    expect(hasObjectElements(a)).toBe(true);
    expect(objectArray()).not.toBe(objectArray());
  });
});
