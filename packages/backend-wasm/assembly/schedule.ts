// How the threads of a task share its blocks of work. A task's arguments end with a counter
// word the session zeroes before each run: every thread claims the next unclaimed block by
// incrementing it, so a thread the machine slows down (another process on its core) takes
// fewer blocks instead of holding the others up, as a fixed split into equal shares would.
// Without a counter (address 0) part p takes blocks p, p + parts, p + 2 * parts ...

/** Claims the next block of the task whose counter word is at `counter`. */
function claimBlock(counter: usize): i32 {
  // The single-threaded module has no atomics, and only one thread then counts.
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, 1);
  const next = load<i32>(counter);
  store<i32>(counter, next + 1);
  return next;
}

/** The first block part `part` works on. */
export function firstBlock(counter: usize, part: i32): i32 {
  return counter ? claimBlock(counter) : part;
}

/** The block part works on after block `prev`. */
export function nextBlock(counter: usize, prev: i32, parts: i32): i32 {
  return counter ? claimBlock(counter) : prev + parts;
}
