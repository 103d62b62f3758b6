export * from './pass.js';
export * from './manager.js';
export * from './fc_to_conv.js';
export * from './fold_batchnorm.js';
export * from './drop_dropout.js';
export * from './gap_head.js';
export * from './input_shape.js';
export * from './verify.js';
