/**
 * Writes a ModelProto as a stream of chunks. The small parts (model header, graph without
 * initializers, each tensor's header) are encoded by onnx-proto; the weights' bytes are framed
 * around them (wire.ts) and handed to the sink as views of the Float32Arrays, so exporting never
 * holds a second copy of the weights unless the caller asks for one buffer (`exportOnnx`).
 */
import type { Graph, Shape, Weights } from '@kiln/core';
import { OnnxExportError } from './errors.js';
import { EXTERNAL_ABOVE, externalHeader, padding, placeTensors } from './external.js';
import { lowerGraph } from './graph.js';
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET, irVersionFor } from './opset.js';
import { onnx } from './proto.js';
import { float32Bytes, weightHeader } from './tensor.js';
import { Framed, fieldHeader } from './wire.js';

export interface ExportOptions {
  /** ONNX opset, 13–21; default 17. */
  readonly opset?: number;
  /** Recorded as the model's producer_version (producer_name is `kiln`). */
  readonly producerVersion?: string;
  /** The side file's name as the model records it, relative to the model file's folder. */
  readonly dataLocation?: string;
  /** Total weight bytes above which weights go to the side file; default 2 GB. */
  readonly externalAbove?: number;
}

/** Where the bytes go, in order. `data` receives the side file; it is needed only past 2 GB. */
export interface OnnxSink {
  model(chunk: Uint8Array): void;
  data?(chunk: Uint8Array): void;
}

export interface ExportSummary {
  readonly opset: number;
  readonly irVersion: number;
  /** True when the weights went to the side file. */
  readonly external: boolean;
  readonly modelBytes: number;
  readonly dataBytes: number;
}

// Field numbers of onnx.proto: ModelProto.graph, GraphProto.initializer, TensorProto.raw_data.
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;

export function checkOpset(opset: number): void {
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxExportError(
      'onnx/opset-range',
      `ONNX opset ${opset} is not supported: Kiln writes opsets ${MIN_OPSET} to ${MAX_OPSET}`,
    );
  }
}

/** Streams the model (and, past `externalAbove`, its side file) to `sink`. */
export function writeOnnx(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  sink: OnnxSink,
  options: ExportOptions = {},
): ExportSummary {
  const opset = options.opset ?? DEFAULT_OPSET;
  checkOpset(opset);
  const lowered = lowerGraph(graph, shapes, weights, opset);
  const payloads = lowered.initializers.map((i) => float32Bytes(i.tensor.data));
  const total = payloads.reduce((s, p) => s + p.length, 0);
  const external = total > (options.externalAbove ?? EXTERNAL_ABOVE);
  if (external && !sink.data) {
    throw new OnnxExportError(
      'onnx/too-large',
      `the weights take ${total} bytes, past ONNX's 2 GB limit for one file; write them to a side file (writeOnnx with a data sink, or exportOnnxFiles)`,
    );
  }
  const location = options.dataLocation ?? `${graph.name}.onnx.data`;
  const { places, size } = placeTensors(payloads.map((p) => p.length));

  const body = new Framed().push(onnx.GraphProto.encode(lowered.graph).finish());
  lowered.initializers.forEach(({ name, tensor }, i) => {
    const header = weightHeader(name, tensor);
    const tensorMsg = new Framed();
    if (external) {
      tensorMsg.push(
        onnx.TensorProto.encode(externalHeader(header, location, places[i]!)).finish(),
      );
    } else {
      tensorMsg.push(onnx.TensorProto.encode(header).finish());
      tensorMsg.push(fieldHeader(TENSOR_RAW_DATA, payloads[i]!.length)).push(payloads[i]!);
    }
    body.field(GRAPH_INITIALIZER, tensorMsg);
  });
  const irVersion = irVersionFor(opset);
  const head = onnx.ModelProto.encode({
    irVersion,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'kiln',
    producerVersion: options.producerVersion ?? '',
    docString: `exported by Kiln at ONNX opset ${opset}`,
  }).finish();
  const file = new Framed().push(head).field(MODEL_GRAPH, body);
  if (file.length > 2 ** 31 - 1) {
    throw new OnnxExportError(
      'onnx/too-large',
      `the model takes ${file.length} bytes, past protobuf's 2 GB limit; lower externalAbove`,
    );
  }
  for (const chunk of file.chunks) sink.model(chunk);
  if (external) {
    let at = 0;
    payloads.forEach((p, i) => {
      const gap = padding(at, places[i]!.offset);
      if (gap) sink.data!(gap);
      sink.data!(p);
      at = places[i]!.offset + p.length;
    });
  }
  return { opset, irVersion, external, modelBytes: file.length, dataBytes: external ? size : 0 };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The model file and, when the weights went external, the side file, as buffers. */
export function exportOnnxFiles(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  options: ExportOptions = {},
): { model: Uint8Array; data?: Uint8Array; summary: ExportSummary } {
  const model: Uint8Array[] = [];
  const data: Uint8Array[] = [];
  const summary = writeOnnx(
    graph,
    shapes,
    weights,
    { model: (c) => model.push(c), data: (c) => data.push(c) },
    options,
  );
  return { model: concat(model), ...(summary.external ? { data: concat(data) } : {}), summary };
}

/** The model as one buffer (a ModelProto). Refuses weights past 2 GB: see `writeOnnx`. */
export function exportOnnx(
  graph: Graph,
  shapes: ReadonlyMap<string, Shape>,
  weights: Weights,
  options: ExportOptions = {},
): Uint8Array {
  const model: Uint8Array[] = [];
  writeOnnx(graph, shapes, weights, { model: (c) => model.push(c) }, options);
  return concat(model);
}
