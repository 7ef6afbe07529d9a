/**
 * Kiosk mode's full-size view of one card: the kiosk grid has room for each card's main controls only, so the
 * rest (a light's colour, a thermostat's heating mode, the dishwasher's door) open here, in a modal sheet with
 * the same large touch targets. Rendered into <body> so the card's `contain: strict` cannot clip it.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface Props {
  title: string;
  titleId: string;
  onClose(): void;
  children: ReactNode;
}

export function CardSheet({ title, titleId, onClose, children }: Props): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return createPortal(
    <dialog
      ref={dialog}
      className="sheet"
      aria-labelledby={titleId}
      onClose={onClose}
      // A tap on the backdrop (the dialog element itself, outside its content) closes it.
      onClick={(event) => event.target === dialog.current && dialog.current?.close()}
    >
      <div className="sheet__content">
        <header className="sheet__head">
          <h2 id={titleId} className="sheet__title">
            {title}
          </h2>
          <button type="button" className="action" onClick={() => dialog.current?.close()}>
            Done
          </button>
        </header>
        <div className="sheet__body card__body">{children}</div>
      </div>
    </dialog>,
    document.body,
  );
}
