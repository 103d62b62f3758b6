import { describe, expect, it } from 'vitest';
import { withInputShapes } from '../../src/index.js';
import { chain, shapesOf } from './build.js';

describe('withInputShapes', () => {
  const graph = chain(
    'c',
    ['image', ['N', 3, 16, 16]],
    [['c1', 'conv', { channels: 2, kernel: 3, pad: 1 }]],
  );

  it('rebinds an input shape and leaves the original graph as it was', () => {
    const larger = withInputShapes(graph, { image: [1, 3, 24, 24] });
    expect(shapesOf(larger).get('c1')).toEqual([1, 2, 24, 24]);
    expect(shapesOf(graph).get('c1')).toEqual(['N', 2, 16, 16]);
  });

  it('names an unknown input with a suggestion', () => {
    expect(() => withInputShapes(graph, { imag: [1, 3, 8, 8] })).toThrow(
      '`imag` is not an input of model `c`; did you mean `image`?',
    );
  });
});
