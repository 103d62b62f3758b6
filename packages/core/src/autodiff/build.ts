/**
 * Reverse-mode differentiation of a model graph into a training graph.
 *
 * The training graph holds, in order: the model's forward nodes in training form (dropout with
 * a fed mask, batchnorm with batch statistics), a target input and a loss node, then the
 * backward nodes each op's `grad` emits, visited in reverse topological order. A tensor read by
 * several nodes sums its gradient contributions with `add`.
 *
 * Its outputs: the loss ([1]), the prediction, dL/d`<node>.<param>` for every learnable
 * parameter of a non-frozen node (tensor `<node>.<param>@grad`), and each batchnorm's updated
 * running statistics (`<node>.running@next`, [2, C]: mean, then unbiased variance).
 * Backward ops that read weights name their forward node in attribute `of`, so the training
 * graph runs with the model's own weights, unchanged in names and shapes.
 *
 * Only what a trained parameter depends on is differentiated: nothing flows into the model's
 * inputs, and a frozen prefix costs no backward work.
 */
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';
import { checkGraph } from '../ir/check.js';
import type { Graph, Node, Shape } from '../ir/types.js';
import { getOp } from '../ops/registry.js';
import type { GradEmitter } from './types.js';

export type LossKind = 'softmax_cross_entropy' | 'sigmoid_bce' | 'mse_loss';

export interface LossSpec {
  readonly kind: LossKind;
  /** The tensor the loss compares with the target (logits for the fused losses). */
  readonly prediction: string;
}

export interface TrainingGraph {
  readonly graph: Graph;
  readonly loss: string;
  readonly prediction: string;
  /** Graph input fed with the targets, shaped like the prediction. */
  readonly target: string;
  /** `<node>.<param>` → the tensor holding its gradient. */
  readonly paramGrads: ReadonlyMap<string, string>;
  /** Inputs the loop feeds besides the model's and the target: dropout masks. */
  readonly masks: readonly { readonly name: string; readonly node: string; readonly p: number }[];
  /** Batchnorm node → the tensor with its updated running statistics. */
  readonly runningStats: ReadonlyMap<string, string>;
  /** Model input → the tensor holding dL/d(input), for the inputs asked for. */
  readonly inputGrads: ReadonlyMap<string, string>;
}

export interface TrainingGraphOptions {
  /**
   * Model inputs to differentiate as well (gradient checks, saliency); by default nothing flows
   * into the inputs.
   */
  readonly inputGrads?: readonly string[];
}

function fail(message: string, node?: Node): never {
  throw new DiagnosticError([error('autodiff/unsupported', message, node?.span)]);
}

function checked(graph: Graph): ReadonlyMap<string, Shape> {
  const { shapes, diagnostics } = checkGraph(graph);
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticError(diagnostics);
  return shapes;
}

/** Whether a node owns a parameter that training updates. */
function trainedParams(node: Node, shapes: ReadonlyMap<string, Shape>): Set<string> {
  const op = getOp(node.op)!;
  if (node.frozen) return new Set();
  const specs = op.params(
    node.inputs.map((i) => shapes.get(i)!),
    node.attrs,
  );
  return new Set(specs.filter((p) => p.learnable).map((p) => p.name));
}

export function buildTrainingGraph(
  model: Graph,
  loss: LossSpec,
  options: TrainingGraphOptions = {},
): TrainingGraph {
  const shapes = checked(model);
  if (!shapes.has(loss.prediction)) fail(`the loss reads \`${loss.prediction}\`, not in the model`);
  const taken = new Set(model.nodes.map((n) => n.name));
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };

  // Forward in training form.
  const forward: Node[] = [];
  const extra: Node[] = [];
  const masks: { name: string; node: string; p: number }[] = [];
  const runningStats = new Map<string, string>();
  for (const node of model.nodes) {
    const form = getOp(node.op)!.trainingForm?.(node, shapes.get(node.name)!);
    if (!form) {
      forward.push(node);
      continue;
    }
    for (const input of form.extraInputs) {
      taken.add(input.name);
      forward.push({
        name: input.name,
        op: 'input',
        inputs: [],
        attrs: { shape: input.shape, dtype: 'f32' },
      });
      masks.push({ name: input.name, node: node.name, p: node.attrs['p'] as number });
    }
    forward.push(form.node);
    for (const n of form.extraNodes) {
      taken.add(n.name);
      extra.push(n);
      runningStats.set(node.name, n.name);
    }
  }

  const target = fresh('target');
  const lossName = fresh('loss');
  const nodes: Node[] = [...forward, ...extra];
  nodes.push({
    name: target,
    op: 'input',
    inputs: [],
    attrs: { shape: shapes.get(loss.prediction)!, dtype: 'f32' },
  });
  nodes.push({ name: lossName, op: loss.kind, inputs: [loss.prediction, target], attrs: {} });

  // Which tensors lead to a trained parameter (only those need gradients).
  const trained = new Map(forward.map((n) => [n.name, trainedParams(n, shapes)]));
  const wanted = new Set(options.inputGrads ?? []);
  for (const name of wanted) {
    if (model.nodes.find((n) => n.name === name)?.op !== 'input') {
      fail(`cannot differentiate with respect to \`${name}\`: it is not an input of the model`);
    }
  }
  const leads = new Map<string, boolean>();
  for (const n of forward) {
    const own = trained.get(n.name)!.size > 0 || wanted.has(n.name);
    leads.set(n.name, own || n.inputs.some((i) => leads.get(i)));
  }

  const grads = new Map<string, string[]>();
  const contribute = (tensor: string, g: string) =>
    grads.set(tensor, [...(grads.get(tensor) ?? []), g]);
  const lossGrad = fresh(`${lossName}@dprediction`);
  nodes.push({
    name: lossGrad,
    op: `${loss.kind}_grad`,
    inputs: [loss.prediction, target],
    attrs: {},
  });
  contribute(loss.prediction, lossGrad);

  const paramGrads = new Map<string, string>();
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i]!;
    const parts = grads.get(node.name);
    if (!parts || !leads.get(node.name) || node.op === 'input') continue;
    let dy = parts[0]!;
    if (parts.length > 1) {
      dy = fresh(`${node.name}@dsum`);
      nodes.push({ name: dy, op: 'add', inputs: parts, attrs: {} });
    }
    const op = getOp(node.op)!;
    if (!op.grad) fail(`op \`${node.op}\` (node \`${node.name}\`) has no gradient`, node);
    const emitter: GradEmitter = {
      emit(opName, inputs, attrs, hint) {
        const name = fresh(`${node.name}@${hint}`);
        nodes.push({ name, op: opName, inputs, attrs });
        return name;
      },
      paramGrad(owner, param, tensor) {
        paramGrads.set(`${owner.name}.${param}`, tensor);
      },
      wantsParam: (owner, param) => trained.get(owner.name)?.has(param) ?? false,
      wantsInput: (owner, index) => leads.get(owner.inputs[index]!) ?? false,
      shape: (tensor) => shapes.get(tensor)!,
    };
    const inputGrads = op.grad(node, dy, emitter);
    node.inputs.forEach((input, k) => {
      const g = inputGrads[k];
      if (g !== undefined && leads.get(input)) contribute(input, g);
    });
  }

  const inputGrads = new Map<string, string>();
  for (const name of wanted) {
    const parts = grads.get(name);
    if (!parts) fail(`the loss does not depend on input \`${name}\``);
    let g = parts[0]!;
    if (parts.length > 1) {
      g = fresh(`${name}@dsum`);
      nodes.push({ name: g, op: 'add', inputs: parts, attrs: {} });
    }
    inputGrads.set(name, g);
  }

  // Gradient tensors keep the names they were emitted under (`fc1@dweight`); the maps say which
  // parameter or input each belongs to, so no copy is spent on renaming.
  const outputs = [
    lossName,
    loss.prediction,
    ...paramGrads.values(),
    ...inputGrads.values(),
    ...runningStats.values(),
  ];
  const graph: Graph = { name: `${model.name}@train`, nodes, outputs: [...new Set(outputs)] };
  checked(graph);
  return {
    graph,
    loss: lossName,
    prediction: loss.prediction,
    target,
    paramGrads,
    masks,
    runningStats,
    inputGrads,
  };
}
