// Optional fields stay absent rather than `undefined`, so objects compare and print cleanly.

/** `{key: value}` when the value is defined, `{}` otherwise; spread it into an object literal. */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
