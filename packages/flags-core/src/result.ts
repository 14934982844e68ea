/**
 * Store one flag's value in a result record. Plain assignment, except for the key
 * `__proto__`, whose assignment would replace the object's prototype instead of adding
 * a property; that one is defined as an own, enumerable property like every other key.
 */
export function setResult(out: Record<string, boolean>, key: string, value: boolean): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
