export { runCli, commands } from './cli.js';
export type { Io } from './io.js';
export { exitCode } from './io.js';
