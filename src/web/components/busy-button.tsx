import type { ButtonHTMLAttributes, MouseEvent } from 'react';

type BusyButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  /** The action runs (or cannot run yet): the button says so and does nothing, but keeps its focus. */
  busy: boolean;
};

/**
 * A button that stays in the tab order while its action cannot run: `aria-disabled` and a guard instead of
 * `disabled`. A disabled button drops the keyboard focus to the page the moment it is pressed, so a
 * keyboard or screen reader user is thrown back to the top while the coach works. The form's own submit
 * handler must still check (Enter in a field submits without a click).
 */
export function BusyButton({ busy, onClick, ...button }: BusyButtonProps) {
  function click(event: MouseEvent<HTMLButtonElement>) {
    if (busy) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  }
  return <button {...button} aria-disabled={busy || undefined} onClick={click} />;
}
