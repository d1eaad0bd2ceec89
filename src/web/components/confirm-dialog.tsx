import { createContext, useCallback, useContext, useId, useRef, useState, type ReactNode } from 'react';
import { Dialog } from './dialog.js';

export type ConfirmOptions = {
  title: string;
  body?: ReactNode;
  /** The confirming button's text, a verb for what happens ("Log out everywhere"). */
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirming button as destructive. */
  danger?: boolean;
};

type ConfirmDialogProps = ConfirmOptions & { onAnswer(confirmed: boolean): void };

/** Asks before a one-way action. Focus starts on Cancel, so a stray Enter does nothing harmful. */
export function ConfirmDialog({ title, body, confirmLabel, cancelLabel = 'Cancel', danger, onAnswer }: ConfirmDialogProps) {
  const id = useId();
  return (
    <Dialog labelledBy={`${id}-title`} describedBy={body ? `${id}-body` : undefined} onCancel={() => onAnswer(false)}>
      <h2 id={`${id}-title`}>{title}</h2>
      {body && (
        <div id={`${id}-body`} className="stack tight">
          {typeof body === 'string' ? <p>{body}</p> : body}
        </div>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={() => onAnswer(false)}>
          {cancelLabel}
        </button>
        <button type="button" className={danger ? 'danger' : undefined} onClick={() => onAnswer(true)}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

type Confirm = (options: ConfirmOptions) => Promise<boolean>;
type Pending = { options: ConfirmOptions; resolve(confirmed: boolean): void; seq: number };

const ConfirmContext = createContext<Confirm | null>(null);

/** Holds the app's one confirmation dialog, so any component can ask with `useConfirm()`. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const current = useRef<Pending | null>(null);
  const asked = useRef(0);
  const confirm = useCallback<Confirm>(
    (options) =>
      new Promise<boolean>((resolve) => {
        // A newer question replaces one still open; the older one counts as declined.
        current.current?.resolve(false);
        current.current = { options, resolve, seq: ++asked.current };
        setPending(current.current);
      }),
    [],
  );
  function answer(confirmed: boolean) {
    current.current?.resolve(confirmed);
    current.current = null;
    setPending(null);
  }
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      {pending && <ConfirmDialog key={pending.seq} {...pending.options} onAnswer={answer} />}
    </ConfirmContext.Provider>
  );
}

/**
 * `const confirm = useConfirm(); if (await confirm({ title, body, confirmLabel, danger })) …` — resolves
 * true only when the confirming button was pressed; Escape, Cancel or another question resolve false.
 */
export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error('useConfirm needs a ConfirmProvider');
  return confirm;
}
