/**
 * PagerDuty `custom_details` (any JSON) as a readable tree: scalars inline, objects and arrays
 * as collapsible <details>, the first two levels open. Text only: nothing is rendered as HTML.
 */
export function DetailsTree({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || typeof value !== 'object') return <Scalar value={value} />;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">{Array.isArray(value) ? '[ ]' : '{ }'}</span>;
  return (
    <ul className="details-tree">
      {entries.map(([key, item]) =>
        item !== null && typeof item === 'object' ? (
          <li key={key}>
            <details open={depth < 1}>
              <summary>
                <span className="dt-key">{key}</span> <span className="muted">{Array.isArray(item) ? `[${item.length}]` : `{${Object.keys(item).length}}`}</span>
              </summary>
              <DetailsTree value={item} depth={depth + 1} />
            </details>
          </li>
        ) : (
          <li key={key}>
            <span className="dt-key">{key}</span>: <Scalar value={item} />
          </li>
        ),
      )}
    </ul>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="dt-str">{value}</span>;
  return <span className="dt-val">{value === undefined ? 'undefined' : JSON.stringify(value)}</span>;
}
