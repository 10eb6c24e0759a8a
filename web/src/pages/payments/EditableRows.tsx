import { useRef, type ReactNode } from 'react';
import { ErrorText } from '../../components/Field';

// A list of rows the user adds and removes (the creditor's accounts, its taxonomy codes): each row
// a fieldset named by its position, with a "Rimuovi" button; an "Aggiungi" button below, and the
// list's own error (e.g. "no primary account") under it. The caller renders each row's fields.

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
      <h4 className="h5">{title}</h4>
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
