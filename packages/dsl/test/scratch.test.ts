import { it } from 'vitest';
import { tokenize } from '../src/lexer.js';
import { parseTokens } from '../src/parser.js';

it('scratch', () => {
  let state = 12345;
  const chars = 'abcxyz019 =()[]{},:;+-*/#`.\n\t';
  for (const n of [10000, 20000, 40000]) {
    let source = '';
    for (let i = 0; i < n; i++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      source += chars[state % chars.length];
    }
    let t = performance.now();
    const { tokens, errors } = tokenize(source);
    const lexT = performance.now() - t;
    t = performance.now();
    const r = parseTokens(tokens);
    console.log(n, tokens.length, errors.length, lexT, performance.now() - t, r.errors.length, source.slice(0, 200));
  }
});
