import { useRef, useState, type FormEvent } from 'react';
import { ApiError, toApiError } from '../api/client';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/**
 * What a form needs to show problem+json errors next to its fields: the
 * per-field errors, the problem for the summary (ProblemAlert), a busy flag and
 * the refs used to move the focus to the first field in error.
 */
export function useProblemForm<K extends string>({
  order,
  labels,
  toField = (f) => (Object.hasOwn(labels, f) ? (f as K) : null),
  message = (m) => m,
}: {
  /** Order of the fields on screen: the first one in error gets the focus. */
  order: readonly K[];
  /** Labels of the fields, used in the error summary. */
  labels: Record<K, string>;
  /**
   * Maps a problem+json field name ("grants[0].ente", "patron.day") to a form field; by default
   * the server names the fields as `labels` does.
   */
  toField?: (field: string) => K | null;
  /** Turns a server message into the text shown next to the field. */
  message?: (msg: string) => string;
}) {
  const [errors, setErrors] = useState<FieldErrors<K>>({});
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const refs = useRef<Partial<Record<K, Control>>>({});

  /** A ref callback that registers the control of field `k` for the focus. */
  const fieldRef = (k: K) => (el: Control) => {
    refs.current[k] = el;
  };

  /** The props every field of the form shares: its ref, name and error. */
  const field = (k: K) => ({ ref: fieldRef(k), name: k, error: errors[k] });

  const focusFirst = (errs: FieldErrors<K>) => {
    const first = order.find((f) => errs[f] && refs.current[f]);
    if (first) refs.current[first]?.focus();
  };

  /** Shows the browser-side errors; true when there are none. */
  const check = (invalid: FieldErrors<K>): boolean => {
    setErrors(invalid);
    if (Object.keys(invalid).length) {
      focusFirst(invalid);
      return false;
    }
    return true;
  };

  /**
   * Sends the request; on success clears the errors and calls `onOk`, on
   * failure maps the problem+json errors to the fields and focuses the first.
   */
  const send = async <T>(request: () => Promise<T>, onOk: (result: T) => void): Promise<void> => {
    setBusy(true);
    try {
      const result = await request();
      setErrors({});
      onOk(result);
    } catch (err) {
      const apiErr = toApiError(err);
      const mapped: FieldErrors<K> = {};
      for (const [f, msg] of Object.entries(apiErr.fieldErrors())) {
        const k = toField(f);
        if (k && !mapped[k]) mapped[k] = message(msg);
      }
      setErrors(mapped);
      setProblem(apiErr);
      focusFirst(mapped);
    } finally {
      setBusy(false);
    }
  };

  /**
   * The form's onSubmit: clears the last problem, shows the errors `validate` finds in the browser
   * and, when there are none, sends the request as `send` does.
   */
  const submitWith =
    <T,>(validate: () => FieldErrors<K>, request: () => Promise<T>, onOk: (result: T) => void) =>
    (e: FormEvent) => {
      e.preventDefault();
      setProblem(null);
      if (check(validate())) void send(request, onOk);
    };

  /** Labels for the summary: the form's label when the field maps to one. */
  const problemLabels: Record<string, string> = Object.fromEntries(
    (problem?.problem.errors ?? []).map((x) => {
      const k = toField(x.field);
      return [x.field, k ? labels[k] : x.field];
    }),
  );

  return { errors, problem, setProblem, busy, refs, fieldRef, field, check, send, submitWith, problemLabels };
}
