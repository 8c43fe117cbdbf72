import type { ReactNode } from 'react';
import type { Severity } from '../api';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="error" role="alert">
      Could not load: {error instanceof Error ? error.message : String(error)}
      {onRetry && (
        <button className="link" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

/** A glyph per severity so the level reads without colour (grey-scale, colour-blind): shape + label + pattern. */
export const SEVERITY_GLYPH: Record<Severity, string> = { critical: '◆', major: '▲', minor: '●', info: '○' };

export function SeverityBadge({ value }: { value: Severity }) {
  return (
    <span className={`sev sev-${value}`} title={`severity ${value}`}>
      <span aria-hidden="true">{SEVERITY_GLYPH[value] ?? '·'}</span> {value}
    </span>
  );
}

export function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value.replace('_', ' ')}</span>;
}

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuenow={pct}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span className="progress-text">{pct}%</span>
    </div>
  );
}
