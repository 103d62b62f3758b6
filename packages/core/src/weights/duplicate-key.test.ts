import { describe, expect, it } from 'vitest';
import { duplicateKey } from './duplicate-key.js';

describe('duplicateKey', () => {
  it('finds a repeated key at the top and inside nested objects, with its path', () => {
    expect(duplicateKey('{"a": 1, "b": 2, "a": 3}')).toEqual(['a']);
    expect(duplicateKey('{"w": {"dtype": "F32", "shape": [1], "dtype": "F16"}}')).toEqual([
      'w',
      'dtype',
    ]);
    expect(duplicateKey('{"m": {"x": {"k": 1, "k": 2}}}')).toEqual(['m', 'x', 'k']);
    expect(duplicateKey('{"l": [{"k": 1}, {"k": 1, "k": 2}]}')).toEqual(['l', 'k']);
  });

  it('compares keys decoded, as JSON.parse does', () => {
    expect(duplicateKey('{"w": 1, "\\u0077": 2}')).toEqual(['w']);
    expect(duplicateKey('{"a\\"b": 1, "a\\u0022b": 2}')).toEqual(['a"b']);
  });

  it('passes distinct keys, including strings in values that look like keys', () => {
    expect(duplicateKey('{}')).toBeUndefined();
    expect(duplicateKey('[1, {"a": 1}, {"a": 2}]')).toBeUndefined();
    expect(duplicateKey('{"a": "a", "b": ["a", "b"], "c": {"a": 1}}')).toBeUndefined();
    expect(duplicateKey('{"a\\\\": 1, "a\\"": 2, "a": "\\", \\"a\\": 3"}')).toBeUndefined();
    expect(duplicateKey('{"x": {"k": 1}, "y": {"k": 1}, "k": [{"k": 1}]}')).toBeUndefined();
  });
});
