/** Words a file-system error for a user; core's `fsReason`, under the name the CLI reads best. */
export { fsReason as why } from '@kiln/core';
