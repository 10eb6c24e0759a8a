import { useId, type FormEvent, type ReactNode } from 'react';

/**
 * A form in a panel of its own, named by its heading (aria-labelledby). The browser's own
 * validation is off (noValidate): the form shows its errors next to the fields (useProblemForm).
 * `level`: the heading's level, after the heading of the section the form is in.
 */
export function FormPanel({
  title,
  level = 3,
  testId,
  onSubmit,
  children,
}: {
  title: ReactNode;
  level?: 3 | 4;
  testId: string;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
}) {
  const uid = useId();
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${uid}-title`} className="cst-panel cst-form mb-4" data-testid={testId}>
      <Heading className={level === 3 ? 'h4' : 'h5'} id={`${uid}-title`}>
        {title}
      </Heading>
      {children}
    </form>
  );
}
