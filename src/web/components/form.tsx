import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import type { QuotaOwner } from './quota-copy.js';
import { QuotaNotice } from './quota-notice.js';

type FieldProps = { label: string; error?: string | undefined; hint?: string } & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input whose error is announced and tied to it for screen readers. */
export function Field({ label, error, hint, ...input }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The form-level message for an error that no single field explains; a plan's limit gets the QuotaNotice
 * (`quotaOf: 'owner'` where the limit is the draft owner's, not the reader's).
 */
export function FormError({ error, fields = [], quotaOf }: { error: unknown; fields?: string[]; quotaOf?: QuotaOwner }) {
  if (!error) return null;
  if (error instanceof ApiError && error.quota) return <QuotaNotice quota={error.quota} whose={quotaOf} />;
  if (error instanceof ApiError && fields.some((f) => error.fieldError(f))) return null;
  const message = error instanceof ApiError ? error.message : 'Something went wrong. Check your connection and try again.';
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}
