// Single-op ONNX models (MatMul, Conv) for timing onnxruntime on the same kernels Kiln runs.
// Whole-model files come from Kiln's own exporter once it exists.
import pkg from 'onnx-proto';

const { onnx } = pkg;

function valueInfo(name, shape) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: shape.map((d) => ({ dimValue: d })) },
      },
    },
  });
}

function initializer(name, shape, data) {
  return onnx.TensorProto.create({
    name,
    dims: shape,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
}

function model(graph) {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'kiln-bench',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(m).finish();
}

export function matmulModel(m, k, n) {
  return model(
    onnx.GraphProto.create({
      name: 'matmul',
      node: [{ opType: 'MatMul', input: ['A', 'B'], output: ['C'] }],
      input: [valueInfo('A', [m, k]), valueInfo('B', [k, n])],
      output: [valueInfo('C', [m, n])],
    }),
  );
}

export function convModel(inShape, weight, weightShape, pad) {
  const [n, , h, w] = inShape;
  return model(
    onnx.GraphProto.create({
      name: 'conv',
      node: [
        {
          opType: 'Conv',
          input: ['X', 'W'],
          output: ['Y'],
          attribute: [
            {
              name: 'pads',
              type: onnx.AttributeProto.AttributeType.INTS,
              ints: [pad, pad, pad, pad],
            },
          ],
        },
      ],
      initializer: [initializer('W', weightShape, weight)],
      input: [valueInfo('X', inShape)],
      output: [
        valueInfo('Y', [
          n,
          weightShape[0],
          h + 2 * pad - weightShape[2] + 1,
          w + 2 * pad - weightShape[3] + 1,
        ]),
      ],
    }),
  );
}
