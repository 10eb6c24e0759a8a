import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface Common {
  label: string;
  /** Error from the server (problem+json errors[].message) for this field. */
  error?: string;
  hint?: string;
}

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
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
      {error && (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      )}
    </>
  );
}

/** A labelled input; its error is tied to it with aria-describedby/aria-invalid. */
export const TextField = forwardRef<HTMLInputElement, Common & InputHTMLAttributes<HTMLInputElement>>(function TextField(
  { label, error, hint, className, ...input },
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
        className={`form-control${error ? ' is-invalid' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      />
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
});

/** A labelled native <select> (keyboard and screen-reader friendly by default). */
export const SelectField = forwardRef<HTMLSelectElement, Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }>(function SelectField(
  { label, error, hint, className, children, ...select },
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
        className={error ? 'is-invalid' : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      >
        {children}
      </select>
      <Messages id={id} error={error} hint={hint} />
    </div>
  );
});
