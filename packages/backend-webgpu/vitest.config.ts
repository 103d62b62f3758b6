import { sharedConfig } from '../../tooling/vitest.shared.ts';

export default sharedConfig;
