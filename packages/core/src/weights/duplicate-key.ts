/**
 * JSON.parse keeps the last of two equal keys in an object, so a safetensors header naming a
 * tensor twice would silently lose one entry. This scan finds such a key. It runs on text that
 * JSON.parse has already accepted, so it only has to tell keys from values: a string is a key
 * when it comes first in an object or right after a comma in one. Keys are compared decoded
 * (`"a"` and `"\u0061"` are the same key), as JSON.parse would.
 */

interface Frame {
  /** Keys seen so far; undefined for an array. */
  readonly keys: Set<string> | undefined;
  /** The key under which this object or array sits in its parent, for the path. */
  readonly key: string | undefined;
  expectKey: boolean;
}

/** The end (exclusive) of the string token starting at the quote at `at`. */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/**
 * The path of the first repeated key (`['w']` for a top-level key, `['w', 'dtype']` inside
 * the object under `w`), or undefined when every object's keys are distinct. `json` must be
 * valid JSON.
 */
export function duplicateKey(json: string): string[] | undefined {
  const stack: Frame[] = [];
  let lastKey: string | undefined;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      const end = stringEnd(json, i);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(json.slice(i, end)) as string;
        if (top.keys.has(key)) {
          return [...stack.map((f) => f.key).filter((k) => k !== undefined), key];
        }
        top.keys.add(key);
        top.expectKey = false;
        lastKey = key;
      }
      i = end - 1;
    } else if (c === '{' || c === '[') {
      // An array's elements sit under no key; the key before `[` names the array itself.
      const key = top?.keys ? lastKey : undefined;
      stack.push({ keys: c === '{' ? new Set() : undefined, key, expectKey: true });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top) {
      top.expectKey = true;
    }
  }
  return undefined;
}
