// The module's exports. Pointers are byte offsets into the imported memory; lengths count f32s.
export { packA, packB } from './pack';
export { gemm, gemmRaw } from './gemm';
export { conv } from './conv';
export { dense } from './dense';
export { runTask } from './task';
export { add } from './add';
export { relu } from './relu';
export { leakyRelu } from './leaky_relu';
export { sigmoid } from './sigmoid';
export { tanh } from './tanh';
export { gelu } from './gelu';
export { softmax } from './softmax';
export { batchnorm } from './batchnorm';
export { maxpool } from './maxpool';
export { avgpool } from './avgpool';
export { globalAvgpool } from './global_avgpool';
export { copy, copyChunks } from './copy';
export { firstNonFinite } from './nan';
// Backward and training-mode kernels (core's ops/grad).
export {
  reluGrad,
  leakyReluGrad,
  geluGrad,
  sigmoidGrad,
  tanhGrad,
  softmaxGrad,
} from './grad/activation';
export { biasGrad } from './grad/linear';
export {
  softmaxCrossEntropy,
  softmaxCrossEntropyGrad,
  sigmoidBce,
  sigmoidBceGrad,
  mseLoss,
  mseLossGrad,
} from './grad/loss';
export { maxpoolGrad, avgpoolGrad, globalAvgpoolGrad } from './grad/pool';
export { concatSlice } from './grad/shape';
export {
  dropoutMask,
  batchnormTrain,
  batchnormStats,
  batchnormGradWeight,
  batchnormGradInput,
} from './grad/training';

/** First byte past the module's static data; the session lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}
