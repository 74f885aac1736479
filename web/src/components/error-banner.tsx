import { ApiError } from '../api/client.js';

/** The server's own message, plus the request id to quote when reporting a bug. */
export function ErrorBanner({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div className="error-banner" role="alert">
      <div className="error-text">
        <strong>{apiError && apiError.status === 409 ? 'Conflict: ' : apiError && apiError.status === 403 ? 'Not allowed: ' : 'Error: '}</strong>
        {message}
        {apiError && apiError.issues.some((issue) => !message.includes(issue.message)) ? (
          <ul className="error-issues">
            {apiError.issues.map((issue, i) => (
              <li key={i}>
                <code>{issue.field}</code> {issue.message}
              </li>
            ))}
          </ul>
        ) : null}
        {apiError?.requestId ? <div className="error-request">request {apiError.requestId}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="btn-icon" onClick={onDismiss} aria-label="Dismiss error">
          ×
        </button>
      ) : null}
    </div>
  );
}

/** The message for one field, when the server named it, to show beside the input. */
export function fieldError(error: unknown, field: string): string | null {
  if (!(error instanceof ApiError)) return null;
  return error.issues.find((i) => i.field === field || i.field.endsWith(`.${field}`))?.message ?? null;
}
