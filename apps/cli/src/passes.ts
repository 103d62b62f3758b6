/** How a pass report reads on stderr, for every command that runs passes (rewrite, export). */
import type { PassReport } from '@kiln/core';

export function reportText(r: PassReport): string {
  const lines = [`pass ${r.pass}: ${r.changed.length} changed, ${r.skipped.length} skipped`];
  for (const c of r.changed) lines.push(`  changed ${c.node}: ${c.what}`);
  for (const s of r.skipped) lines.push(`  skipped ${s.node}: ${s.why}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
