import { useRef, useState } from 'react';

/**
 * A form opened in place by a button ("Modifica", "Annulla la registrazione"), which goes away
 * while the form is open. `button` is the opening button's ref: `close` gives it the focus back,
 * `hide` leaves the focus to whoever moves it (the message saying what the form did).
 */
export function useFormOpener() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return {
    open,
    button,
    show: () => setOpen(true),
    hide: () => setOpen(false),
    close: () => {
      setOpen(false);
      setTimeout(() => button.current?.focus(), 0);
    },
  };
}
