/**
 * Checks a set of weights against what a checked graph needs: every tensor present, none extra,
 * each with the right shape, dtype and number of values. Reports every problem, each located at
 * the node that owns (or would own) the tensor.
 */
import type { Weights } from '../backend/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { formatShape } from '../ir/dims.js';
import type { Graph, Shape } from '../ir/types.js';
import { expectedParams } from './params.js';

export interface ValidateOptions {
  /**
   * Also refuse NaN and ±Inf. Files a user hands in are checked this way (they poison every
   * output); the exporter does not ask, so any float32 bit pattern round-trips through ONNX.
   */
  readonly finite?: boolean;
}

export function validateWeights(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  options: ValidateOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const expected = expectedParams(graph, shapes);
  const names = new Set(expected.map((p) => p.name));
  for (const { name, node, spec } of expected) {
    const t = weights.get(name);
    if (!t) {
      out.push(
        error(
          'weights/missing',
          `missing weight \`${name}\` ${formatShape(spec.shape)}`,
          node.span,
          {
            hint: didYouMean(
              name,
              [...weights.keys()].filter((k) => !names.has(k)),
            ),
          },
        ),
      );
      continue;
    }
    if (t.dtype !== 'f32') {
      out.push(error('weights/dtype', `weight \`${name}\` is ${t.dtype}, expected f32`, node.span));
      continue;
    }
    const same =
      t.shape.length === spec.shape.length && t.shape.every((d, i) => d === spec.shape[i]);
    if (!same) {
      out.push(
        error(
          'weights/shape',
          `weight \`${name}\` has shape ${formatShape(t.shape)}, expected ${formatShape(spec.shape)}`,
          node.span,
        ),
      );
      continue;
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) {
      out.push(
        error(
          'weights/size',
          `weight \`${name}\` ${formatShape(t.shape)} should hold ${count} values, it holds ${t.data.length}`,
          node.span,
        ),
      );
      continue;
    }
    const bad = options.finite ? t.data.findIndex((v) => !Number.isFinite(v)) : -1;
    if (bad >= 0) {
      out.push(
        error(
          'weights/non-finite',
          `weight \`${name}\` holds ${t.data[bad]} at flat index ${bad}; weights must be finite`,
          node.span,
        ),
      );
    }
  }
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  for (const name of weights.keys()) {
    if (names.has(name)) continue;
    const owner = byName.get(name.slice(0, name.lastIndexOf('.')));
    out.push(
      error(
        'weights/extra',
        `weight \`${name}\` is not used by model \`${graph.name}\``,
        owner?.span ?? graph.span,
        {
          hint: didYouMean(
            name,
            [...names].filter((n) => !weights.has(n)),
          ),
        },
      ),
    );
  }
  return out;
}
