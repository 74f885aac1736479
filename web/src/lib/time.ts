/** "3 min ago" style text; absolute time goes in a tooltip (see components/time-ago.tsx). */
export function relativeTime(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  let text: string;
  if (s < 45) return future ? 'in a moment' : 'just now';
  if (s < 90) text = '1 min';
  else if (s < 3600) text = `${Math.round(s / 60)} min`;
  else if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    text = h < 6 && m > 0 ? `${h} h ${m} min` : `${Math.round(s / 3600)} h`;
  } else if (s < 86_400 * 30) text = `${Math.round(s / 86_400)} d`;
  else return new Date(then).toLocaleDateString();
  return future ? `in ${text}` : `${text} ago`;
}

/** Local date and time with the zone, for tooltips: unambiguous when sharing in a channel. */
export function absoluteTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

/** Elapsed time between two instants, e.g. "4 min" for time-to-acknowledge. */
export function duration(fromIso: string, toIso: string): string {
  const s = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  return `${h} h ${Math.round((s % 3600) / 60)} min`;
}

/** 90 → "1 min 30 s"; null → "–". */
export function secondsText(s: number | null): string {
  if (s === null) return '–';
  const v = Math.round(s);
  if (v < 60) return `${v} s`;
  if (v < 3600) return `${Math.floor(v / 60)} min${v % 60 ? ` ${v % 60} s` : ''}`;
  if (v < 86_400) return `${Math.floor(v / 3600)} h ${Math.round((v % 3600) / 60)} min`;
  return `${Math.floor(v / 86_400)} d ${Math.round((v % 86_400) / 3600)} h`;
}
