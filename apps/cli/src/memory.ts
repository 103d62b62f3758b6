/**
 * Refuses work that cannot fit before any of it is allocated. Without this a model with a
 * 100000 x 100000 dense layer, or `--shape image=1000000,...`, fills gigabytes for a minute and
 * then dies inside V8 ("Invalid typed array length", "Array buffer allocation failed"), which
 * reads as a bug in Kiln. Every size is known from the checked graph, so the total is computed
 * up front and compared with the machine's memory and with V8's limit on one typed array.
 */
import { totalmem } from 'node:os';
import type { Backend, Graph, Shape } from '@kiln/core';
import { checkGraph, expectedParams, formatShape, hasErrors, withInputShapes } from '@kiln/core';
import { UserError } from './io.js';

/** The most elements one Float32Array may hold in Node 20. */
const MAX_ELEMENTS = 2 ** 32 - 1;

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/**
 * A size compared with a limit: two decimals plus the exact bytes, so that a need just over the
 * limit never reads as equal to it ("needs 4.0 GiB ... holds at most 4.0 GiB"). A whole number
 * of GiB (a limit) is written without decimals.
 */
function exact(bytes: number): string {
  const inGib = bytes / 2 ** 30;
  return `${Number.isInteger(inGib) ? inGib : inGib.toFixed(2)} GiB (${bytes} bytes)`;
}

/** What holds a backend's memory, in the words of the backend's own refusal. */
const holder = (backend: string) =>
  backend === 'wasm' ? 'a wasm32 memory' : `a ${backend} session`;
const count = (shape: Shape) =>
  shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);

interface Need {
  readonly bytes: number;
  readonly largest: { readonly name: string; readonly shape: Shape; readonly elements: number };
}

function need(tensors: Iterable<readonly [string, Shape]>): Need {
  let bytes = 0;
  let largest = { name: '', shape: [] as Shape, elements: 0 };
  for (const [name, shape] of tensors) {
    const elements = count(shape);
    bytes += 4 * elements;
    if (elements > largest.elements) largest = { name, shape, elements };
  }
  return { bytes, largest };
}

/** `what` ends in its verb: "model `m` is too large: its weights need". */
function refuse(what: string, n: Need, memory: number): void {
  const { name, shape, elements } = n.largest;
  const biggest = `\`${name}\` ${formatShape(shape)}, ${gib(4 * elements)}`;
  if (elements > MAX_ELEMENTS) {
    throw new UserError(
      `error: ${what} a tensor of ${elements} values (${biggest}); ` +
        `one tensor holds at most ${MAX_ELEMENTS} in Node`,
    );
  }
  if (n.bytes > memory) {
    throw new UserError(
      `error: ${what} ${exact(n.bytes)} (largest tensor ${biggest}); ` +
        `this machine has ${exact(memory)} of memory`,
    );
  }
}

/** The model's weights alone (export, seeded initialisation). */
export function ensureWeightsFit(graph: Graph, shapes: ReadonlyMap<string, Shape>): void {
  const params = expectedParams(graph, shapes).map((p) => [p.name, p.spec.shape] as const);
  refuse(`model \`${graph.name}\` is too large: its weights need`, need(params), totalmem());
}

/**
 * The most memory one step of the graph touches at once: its inputs and its output, which any
 * plan must hold together however it shares the rest.
 */
function largestStep(graph: Graph, shapes: ReadonlyMap<string, Shape>): number {
  let most = 0;
  for (const node of graph.nodes) {
    const tensors = new Set([node.name, ...node.inputs]);
    const bytes = [...tensors].reduce((sum, t) => sum + 4 * count(shapes.get(t) ?? []), 0);
    most = Math.max(most, bytes);
  }
  return most;
}

/**
 * A run with these concrete input shapes: weights plus every tensor the forward pass makes (an
 * upper bound: the backend may reuse buffers, but not below its largest step). A training step
 * (`training`) also holds a gradient beside every weight.
 */
export function ensureRunFits(
  graph: Graph,
  inputs: Readonly<Record<string, number[]>>,
  backend?: Backend,
  { training = false }: { readonly training?: boolean } = {},
): void {
  const { shapes, diagnostics } = checkGraph(withInputShapes(graph, inputs));
  // Inputs that do not fit the model are refused, located, by the backend's input contract
  // before anything is computed; there is nothing to size here.
  if (hasErrors(diagnostics)) return;
  const params = expectedParams(graph, shapes).map((p) => [p.name, p.spec.shape] as const);
  const given = Object.entries(inputs).map(([name, shape]) => `${name} ${formatShape(shape)}`);
  const doing = training ? 'training' : 'running';
  const what = `${doing} \`${graph.name}\`${given.length ? ` with ${given.join(', ')}` : ''}`;
  const weightBytes = need(params).bytes * (training ? 2 : 1);
  const total = need([...params, ...shapes]);
  refuse(
    `${what} is too large: it needs`,
    { ...total, bytes: total.bytes + weightBytes - need(params).bytes },
    totalmem(),
  );
  // A backend with its own memory (wasm32: 4 GiB) says how much it can hold. It plans tensors to
  // share space, so only a lower bound is refused here: the weights (and their gradients) plus
  // the largest step. The backend checks its real plan at compile time, but only after the
  // weights (and here the inputs) exist, which for a model this size takes a minute and gigabytes.
  const limit = backend?.capabilities.limits['maxMemoryBytes'];
  const floor = weightBytes + largestStep(graph, shapes);
  if (limit !== undefined && floor > limit) {
    const parts = training
      ? 'weights, their gradients and its largest step'
      : 'weights and its largest step';
    throw new UserError(
      `error: ${what} is too large for the ${backend!.name} backend: its ${parts} ` +
        `alone need ${exact(floor)}; ${holder(backend!.name)} holds at most ${exact(limit)}`,
    );
  }
}
