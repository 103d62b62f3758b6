/**
 * Lowers a checked Kiln graph to ONNX nodes. Inputs and outputs keep the model's names and
 * shapes (symbolic dimensions become dim_param); every weight becomes an initializer named
 * `<node>.<param>`, as Kiln names it; constants a lowering needs (reshape targets, GELU's
 * coefficients) are Constant nodes, so the initializers are exactly the model's weights.
 */
import type { Graph, Shape, Tensor, Weights } from '@kiln/core';
import { error, expectedParams, formatShape, validateWeights } from '@kiln/core';
import { tensorAttr } from './attrs.js';
import { OnnxExportError, nodeRefused } from './errors.js';
import { onnxOps } from './ops/index.js';
import type { Lowering } from './ops/index.js';
import type { OnnxTypes } from './proto.js';
import { onnx } from './proto.js';

export interface LoweredGraph {
  /** The graph without its initializers, which are framed separately (see model.ts). */
  readonly graph: OnnxTypes.IGraphProto;
  readonly initializers: readonly { readonly name: string; readonly tensor: Tensor }[];
}

function valueInfo(name: string, shape: Shape): OnnxTypes.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } },
  };
}

function checkWeights(graph: Graph, shapes: ReadonlyMap<string, Shape>, weights: Weights) {
  const problems = validateWeights(graph, shapes, weights);
  if (problems.length === 0) return;
  const lines = problems.map((d) => d.message).join('; ');
  throw new OnnxExportError('onnx/weights', `weights do not fit the model: ${lines}`, problems);
}

function shapeOf(shapes: ReadonlyMap<string, Shape>, name: string): Shape {
  const shape = shapes.get(name);
  if (shape) return shape;
  const message = `no inferred shape for \`${name}\`: export needs a graph that checks cleanly`;
  throw new OnnxExportError('onnx/shape', message, [error('onnx/shape', message)]);
}

export function lowerGraph(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  opset: number,
): LoweredGraph {
  checkWeights(graph, shapes, weights);
  const params = expectedParams(graph, shapes);
  const used = new Set<string>([...graph.nodes.map((n) => n.name), ...params.map((p) => p.name)]);
  const nodes: OnnxTypes.INodeProto[] = [];
  const inputs: OnnxTypes.IValueInfoProto[] = [];
  const ctx: Lowering = {
    opset,
    shapes,
    emit(opType, nodeInputs, output, attrs = []) {
      nodes.push({
        opType,
        name: output,
        input: [...nodeInputs],
        output: [output],
        attribute: [...attrs],
      });
    },
    fresh(base) {
      let name = base;
      for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
      used.add(name);
      return name;
    },
    constant(base, make) {
      const name = ctx.fresh(base);
      ctx.emit('Constant', [], name, [tensorAttr('value', make(name))]);
      return name;
    },
  };
  for (const node of graph.nodes) {
    shapeOf(shapes, node.name);
    if (node.op === 'input') {
      inputs.push(valueInfo(node.name, shapeOf(shapes, node.name)));
      continue;
    }
    const lower = onnxOps.get(node.op);
    if (!lower) {
      throw nodeRefused(
        'onnx/unsupported-op',
        node,
        `\`${node.name}\`: op \`${node.op}\` has no ONNX export`,
      );
    }
    lower(node, ctx);
  }
  const outputs = graph.outputs.map((name) => valueInfo(name, shapeOf(shapes, name)));
  const initializers = params.map(({ name }) => ({ name, tensor: weights.get(name)! }));
  const docString = `Kiln model \`${graph.name}\`; inputs ${inputs
    .map((i) => `${i.name} ${formatShape(shapeOf(shapes, i.name!))}`)
    .join(', ')}`;
  return {
    graph: { name: graph.name, node: nodes, input: inputs, output: outputs, docString },
    initializers,
  };
}
