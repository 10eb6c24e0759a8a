import { forwardRef, useState } from 'react';
import type { Ente } from '../api/types';
import { useSession } from '../session';
import { SelectField } from './Field';

/** The ente a form starts on: the header's when it is one of the choices, else the only choice, else none. */
export function defaultEnte(choices: readonly Ente[], selectedEnte: string): string {
  if (choices.some((e) => e.istat === selectedEnte)) return selectedEnte;
  return choices.length === 1 ? choices[0].istat : '';
}

/**
 * The ente chosen in a form among `choices`: the user's pick once made, else defaultEnte (which
 * follows the header's selector until then).
 */
export function useEnteChoice(choices: readonly Ente[]): [ente: string, pick: (istat: string) => void] {
  const { selectedEnte } = useSession();
  const [picked, setPicked] = useState<string | null>(null);
  return [picked ?? defaultEnte(choices, selectedEnte), setPicked];
}

interface Props {
  choices: readonly Ente[];
  value: string;
  onChange: (istat: string) => void;
  name?: string;
  error?: string;
  className?: string;
}

/**
 * A form's required "Ente" field: "Scegli l'ente" first (nothing chosen yet) unless there is a
 * single choice, then each ente as "name (ISTAT code)". The ref goes to the <select>, for the
 * focus on errors (useProblemForm's field()).
 */
export const EnteSelect = forwardRef<HTMLSelectElement, Props>(function EnteSelect(
  { choices, onChange, className = 'col-12 col-lg-6', ...select },
  ref,
) {
  return (
    <SelectField ref={ref} className={className} {...select} label="Ente" required onChange={(e) => onChange(e.target.value)}>
      {choices.length !== 1 && <option value="">Scegli l'ente</option>}
      {choices.map((x) => (
        <option key={x.istat} value={x.istat}>
          {x.name} ({x.istat})
        </option>
      ))}
    </SelectField>
  );
});
