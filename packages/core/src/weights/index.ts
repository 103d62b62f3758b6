export * from './prng.js';
export * from './params.js';
export * from './init.js';
export * from './safetensors.js';
export * from './validate.js';
