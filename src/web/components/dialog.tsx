import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

type DialogProps = {
  /** The id of the element that names the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  /** Added to `dialog`, e.g. `wide` for one that shows an image. */
  className?: string;
  /** Escape, or the browser closing the dialog itself. */
  onCancel(): void;
  children: ReactNode;
};

/**
 * A modal dialog, open while it is mounted: a native <dialog> shown with showModal (the page behind is
 * inert and the dialog sits in the top layer), focus moved into it, Tab and Shift+Tab kept inside it,
 * Escape cancels, and on close focus goes back to whatever had it before.
 */
export function Dialog({ labelledBy, describedBy, className, onCancel, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const closing = useRef(false);

  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closing.current = false;
    dialog.showModal();
    return () => {
      closing.current = true;
      dialog.close();
      opener?.focus();
    };
  }, []);

  // Without Tab wrapping here, focus would leave a modal dialog for the browser's own controls.
  function trapTab(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Tab') return;
    const focusable = [...ref.current!.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) return event.preventDefault();
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === ref.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onKeyDown={trapTab}
      // Escape closes a native dialog (without a cancel event when it is pressed twice quickly), so the
      // close itself is the signal; a close this component made on unmount is not a cancel.
      onClose={() => closing.current || onCancel()}
    >
      {children}
    </dialog>
  );
}
