/** File-level checks: block definitions (names, parameters) and the one model a file defines. */
import type { Diagnostic } from '@kiln/core';
import { error, getOp } from '@kiln/core';
import type { BlockDef, ModelDef, Program } from '../ast.js';
import type { SourceText } from '../source.js';

function checkParams(block: BlockDef, report: (d: Diagnostic) => void): void {
  const seen = new Set<string>();
  for (const p of block.params) {
    const name = p.name.text;
    if (seen.has(name)) {
      report(error('dsl/block-def', `parameter \`${name}\` is declared twice`, p.name.span));
    } else if (getOp(name) || name === 'in') {
      report(
        error(
          'dsl/block-def',
          `parameter \`${name}\` has the name of ${name === 'in' ? "the block's input" : 'an op'}`,
          p.name.span,
          {
            hint: 'rename the parameter',
          },
        ),
      );
    }
    seen.add(name);
  }
}

/** The blocks by name, and the model to compile. */
export function checkProgram(
  program: Program,
  source: SourceText,
  report: (d: Diagnostic) => void,
): { blocks: Map<string, BlockDef>; model?: ModelDef } {
  const blocks = new Map<string, BlockDef>();
  for (const block of program.blocks) {
    const name = block.name.text;
    checkParams(block, report);
    const first = blocks.get(name);
    if (getOp(name)) {
      report(
        error('dsl/block-def', `block \`${name}\` has the name of an op`, block.name.span, {
          hint: 'rename the block; calls would be ambiguous',
        }),
      );
    } else if (first) {
      report(
        error('dsl/block-def', `block \`${name}\` is defined twice`, block.name.span, {
          notes: [{ message: 'first defined here', span: first.name.span }],
        }),
      );
    } else {
      blocks.set(name, block);
    }
  }
  const [model, second] = program.models;
  if (!model) {
    report(
      error('dsl/no-model', 'the file defines no model', source.span(0, 0), {
        hint: 'write `model name { input x: f32[N, ...] ... }`',
      }),
    );
  } else if (second) {
    report(
      error('dsl/many-models', 'a file defines one model', second.name.span, {
        notes: [{ message: 'the first model is here', span: model.name.span }],
      }),
    );
  }
  return { blocks, ...(model ? { model } : {}) };
}
