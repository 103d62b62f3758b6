/** A labelled data set held in memory: one float32 row per sample and an integer label. */
export interface Dataset {
  /** Where it came from, for messages. */
  readonly source: string;
  /** Where the labels came from, when not `source` (IDX keeps them in their own file). */
  readonly labelSource?: string;
  readonly count: number;
  /** Shape of one sample ([28, 28] for IDX images, [features] for CSV). */
  readonly sampleShape: readonly number[];
  /** count × prod(sampleShape) values, sample after sample. */
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

export const sampleSize = (d: Dataset): number => d.sampleShape.reduce((a, b) => a * b, 1);

/** The largest label plus one. */
export function classCount(d: Dataset): number {
  let max = -1;
  for (let i = 0; i < d.count; i++) max = Math.max(max, d.labels[i]!);
  return max + 1;
}

/** The first `n` samples (quick runs, tests). */
export function head(d: Dataset, n: number): Dataset {
  if (n >= d.count) return d;
  const size = sampleSize(d);
  return {
    ...d,
    count: n,
    features: d.features.subarray(0, n * size),
    labels: d.labels.subarray(0, n),
  };
}
