/** 90 → "1m 30s", 0 → "immediately". */
export function seconds(value: number): string {
  if (value === 0) return 'immediately';
  const parts: string[] = [];
  let rest = value;
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}
