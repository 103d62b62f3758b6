/**
 * What a decoded export must say about its model, as a list of problems (empty when all hold),
 * so a failing test prints every broken fact at once.
 */
import type { Graph, Shape, Weights } from '../../packages/core/src/index.js';
import { expectedParams } from '../../packages/core/src/index.js';
import { irVersionFor } from '../../packages/onnx/src/index.js';
import { decodeModel, dimsOf, sameFloatBytes } from './decode.js';

export function roundTripProblems(
  bytes: Uint8Array,
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  opset: number,
): string[] {
  const problems: string[] = [];
  const m = decodeModel(bytes);
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  expect(m.producerName === 'kiln', `producer ${m.producerName}`);
  expect(m.irVersion === irVersionFor(opset), `IR version ${m.irVersion}`);
  const domain = m.opsetImport.find((o) => !o.domain);
  expect(domain?.version === opset, `opset ${JSON.stringify(m.opsetImport)}`);

  const inputs = graph.nodes.filter((n) => n.op === 'input').map((n) => n.name);
  expect(
    m.graph.input.map((i) => i.name).join() === inputs.join(),
    `inputs ${m.graph.input.map((i) => i.name)}`,
  );
  expect(
    m.graph.output.map((o) => o.name).join() === graph.outputs.join(),
    `outputs ${m.graph.output.map((o) => o.name)}`,
  );
  for (const info of [...m.graph.input, ...m.graph.output]) {
    const want = shapes.get(info.name)!;
    const got = dimsOf(info);
    expect(
      JSON.stringify(got) === JSON.stringify(want),
      `${info.name} dims ${JSON.stringify(got)}`,
    );
  }

  const inits = new Map((m.graph.initializer ?? []).map((t) => [t.name, t]));
  const names = expectedParams(graph, shapes).map((p) => p.name);
  expect(inits.size === names.length, `${inits.size} initializers for ${names.length} weights`);
  for (const name of names) {
    const t = inits.get(name);
    const w = weights.get(name)!;
    if (!t) {
      problems.push(`initializer ${name} missing`);
      continue;
    }
    expect(t.dataType === 1, `${name} data type ${t.dataType}`);
    expect(t.dims.join() === w.shape.join(), `${name} dims ${t.dims}`);
    expect(!!t.rawData && sameFloatBytes(t.rawData, w.data), `${name} bytes differ`);
  }
  return problems;
}
