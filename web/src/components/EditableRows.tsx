import { useRef, type ReactNode } from 'react';
import { ErrorText } from './Field';

// A list of rows the user adds and removes (a creditor's accounts and taxonomy codes, a
// registration's recipients and attachments): each row a fieldset named by its position, with a
// "Rimuovi" button; an "Aggiungi" button below, and the list's own error (e.g. "no primary
// account") under it. The caller renders each row's fields.

export function EditableRows<R extends { id: number }>({
  title,
  intro,
  rows,
  min,
  max,
  legend,
  removeName,
  addLabel,
  onAdd,
  onRemove,
  error,
  errorId,
  testId,
  level = 4,
  children,
}: {
  title: string;
  intro?: ReactNode;
  rows: readonly R[];
  /** Rows that cannot be removed (the last one, when the list needs at least one). */
  min: number;
  max: number;
  /** The row's name on screen: "Conto n. 2". */
  legend: (index: number) => string;
  /** What "Rimuovi" removes, for screen readers: "il conto n. 2". */
  removeName: (index: number) => string;
  addLabel: string;
  onAdd: () => void;
  onRemove: (id: number) => void;
  error?: string;
  errorId: string;
  testId: string;
  /** The title's heading level, after the heading of the form or section it is in. */
  level?: 3 | 4;
  children: (row: R, index: number) => ReactNode;
}) {
  const addButton = useRef<HTMLButtonElement>(null);
  const remove = (id: number) => {
    onRemove(id);
    // The button pressed goes away with its row: keep the focus in the list.
    setTimeout(() => addButton.current?.focus(), 0);
  };

  return (
    <div className="mb-4" data-testid={testId}>
      {level === 3 ? <h3 className="h5">{title}</h3> : <h4 className="h5">{title}</h4>}
      {intro}
      {rows.map((row, i) => (
        <fieldset className="cst-fieldset border-bottom" key={row.id} data-testid={`${testId}-row`} data-row={i}>
          <legend>{legend(i)}</legend>
          <div className="row cst-fieldset-fields align-items-start">
            {children(row, i)}
            {rows.length > min && (
              <div className="col-12 col-lg-2 mb-3">
                <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => remove(row.id)}>
                  Rimuovi<span className="visually-hidden"> {removeName(i)}</span>
                </button>
              </div>
            )}
          </div>
        </fieldset>
      ))}
      <ErrorText id={errorId} error={error} />
      {rows.length < max && (
        <button ref={addButton} type="button" className="btn btn-outline-primary btn-sm mt-2" onClick={onAdd}>
          {addLabel}
        </button>
      )}
    </div>
  );
}
