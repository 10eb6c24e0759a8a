import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface Common {
  label: string;
  /** Error from the server (problem+json errors[].message) for this field. */
  error?: string;
  hint?: string;
  /**
   * Id of an error message shown elsewhere (e.g. one message for a group of
   * fields): the control is marked invalid and described by it.
   */
  errorRef?: string;
}

function describedBy(id: string, error?: string, hint?: string, errorRef?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', errorRef ?? ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Messages({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  return (
    <>
      {hint && (
        <small id={`${id}-hint`} className="form-text">
          {hint}
        </small>
      )}
      <ErrorText id={`${id}-error`} error={error} />
    </>
  );
}

/** An error message under a field or a group of fields (referenced by its id). */
export function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <div id={id} className="invalid-feedback d-block">
      {error}
    </div>
  ) : null;
}

/** The note above a form about required fields, with optional extra text. */
export function RequiredNote({ children }: { children?: ReactNode }) {
  return (
    <p className="text-muted">
      I campi contrassegnati con * sono obbligatori.
      {children}
    </p>
  );
}

/** A labelled input; its error is tied to it with aria-describedby/aria-invalid. */
export const TextField = forwardRef<HTMLInputElement, Common & InputHTMLAttributes<HTMLInputElement>>(function TextField(
  { label, error, hint, errorRef, className, ...input },
  ref,
) {
  const auto = useId();
  const id = input.id ?? auto;
  return (
    <div className={`form-group cst-field ${className ?? ''}`}>
      <label htmlFor={id} className="active">
        {label}
        {input.required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        type="text"
        {...input}
        ref={ref}
        id={id}
        className={`form-control${error || errorRef ? ' is-invalid' : ''}`}
        aria-invalid={error || errorRef ? true : undefined}
        aria-describedby={describedBy(id, error, hint, errorRef)}
      />
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
});

/** A labelled multi-line text box, with its error tied to it like TextField's. */
export const TextAreaField = forwardRef<HTMLTextAreaElement, Common & TextareaHTMLAttributes<HTMLTextAreaElement>>(function TextAreaField(
  { label, error, hint, errorRef, className, rows = 5, ...textarea },
  ref,
) {
  const auto = useId();
  const id = textarea.id ?? auto;
  return (
    <div className={`form-group cst-field ${className ?? ''}`}>
      <label htmlFor={id} className="active">
        {label}
        {textarea.required && <span aria-hidden="true"> *</span>}
      </label>
      <textarea
        rows={rows}
        {...textarea}
        ref={ref}
        id={id}
        className={`form-control${error || errorRef ? ' is-invalid' : ''}`}
        aria-invalid={error || errorRef ? true : undefined}
        aria-describedby={describedBy(id, error, hint, errorRef)}
      />
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
});

/** A labelled native <select> (keyboard and screen-reader friendly by default). */
export const SelectField = forwardRef<HTMLSelectElement, Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }>(function SelectField(
  { label, error, hint, errorRef, className, children, ...select },
  ref,
) {
  const auto = useId();
  const id = select.id ?? auto;
  return (
    <div className={`select-wrapper cst-field ${className ?? ''}`}>
      <label htmlFor={id}>
        {label}
        {select.required && <span aria-hidden="true"> *</span>}
      </label>
      <select
        {...select}
        ref={ref}
        id={id}
        className={error || errorRef ? 'is-invalid' : undefined}
        aria-invalid={error || errorRef ? true : undefined}
        aria-describedby={describedBy(id, error, hint, errorRef)}
      >
        {children}
      </select>
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
});

/** A label map's text: a plain label, or the first item of a [label, …] entry (e.g. a badge). */
type Labelled = string | readonly [label: string, ...rest: unknown[]];

/**
 * A list filter on one code: "all" (the empty value) first, then every code of `labels` in the
 * map's order, so the options always match the labels the list shows.
 */
export function FilterSelect<K extends string>({
  label,
  name,
  all,
  labels,
  value,
  onChange,
  className = 'col-12 col-md-6 col-lg-4',
}: {
  label: string;
  name: string;
  /** The empty choice's text: "Tutti", "Tutte"… */
  all: string;
  labels: Record<K, Labelled>;
  value: '' | K;
  onChange: (value: '' | K) => void;
  className?: string;
}) {
  return (
    <SelectField className={className} label={label} name={name} value={value} onChange={(e) => onChange(e.target.value as '' | K)}>
      <option value="">{all}</option>
      {(Object.keys(labels) as K[]).map((k) => {
        const l = labels[k];
        return (
          <option key={k} value={k}>
            {typeof l === 'string' ? l : l[0]}
          </option>
        );
      })}
    </SelectField>
  );
}

/** A form's submit button, disabled and saying what is going on while the request runs. */
export function SubmitButton({
  busy,
  busyLabel,
  className = 'btn-primary',
  children,
}: {
  busy: boolean;
  busyLabel: string;
  /** The button's variant: btn-primary, btn-danger… */
  className?: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className={`btn ${className}`} disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}

/** A form's submit button beside the one that closes it unsent ("Chiudi", "Annulla"); both wait while it is sent. */
export function SubmitOrClose({
  busy,
  busyLabel,
  className,
  closeLabel = 'Chiudi',
  onClose,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  /** The submit button's variant: btn-primary, btn-danger… */
  className?: string;
  closeLabel?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <div className="d-flex flex-wrap gap-2">
      <SubmitButton busy={busy} busyLabel={busyLabel} className={className}>
        {children}
      </SubmitButton>
      <button type="button" className="btn btn-outline-primary" onClick={onClose} disabled={busy}>
        {closeLabel}
      </button>
    </div>
  );
}

/** A list's free-text filter, "Testo" (the `q` parameter); `hint` says where the words are searched. */
export function TextFilter({
  hint,
  value,
  onChange,
  error,
  className = 'col-12 col-md-6 col-lg-4',
}: {
  hint: string;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
  error?: string;
  className?: string;
}) {
  return (
    <TextField className={className} label="Testo" name="q" type="search" autoComplete="off" hint={hint} value={value} onChange={onChange} error={error} />
  );
}

/** A list's filter form's buttons, after its fields: apply the filters ("Cerca") and clear them ("Azzera"). */
export function FilterButtons({
  onReset,
  submitLabel = 'Cerca',
  className = 'col-12 col-lg-4',
}: {
  onReset: () => void;
  submitLabel?: string;
  /** The grid column the buttons take in the form's row. */
  className?: string;
}) {
  return (
    <div className={`${className} d-flex align-items-start gap-2 cst-filter-buttons`}>
      <button type="submit" className="btn btn-primary">
        {submitLabel}
      </button>
      <button type="button" className="btn btn-outline-primary" onClick={onReset}>
        Azzera
      </button>
    </div>
  );
}
