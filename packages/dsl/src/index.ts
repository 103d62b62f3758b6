/** The Kiln language: parse and compile `.kiln` text to core's layer IR, and print IR as text. */
import type { Diagnostic } from '@kiln/core';
import type { Program } from './ast.js';
import { parseSource } from './parse.js';
import { SourceText } from './source.js';

export type * from './ast.js';
export type { CompileResult } from './compile/index.js';
export { compile } from './compile/index.js';
export { printGraph } from './printer.js';

/** Source text to AST with every syntax error; the AST holds what parsed cleanly. */
export function parse(
  source: string,
  file = 'model.kiln',
): { program: Program; diagnostics: Diagnostic[] } {
  return parseSource(new SourceText(file, source));
}
