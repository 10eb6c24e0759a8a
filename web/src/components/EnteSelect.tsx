import { forwardRef, useState, type ChangeEvent } from 'react';
import type { Ente } from '../api/types';
import { seesAllEnti } from '../roles';
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
      <EnteOptions enti={choices} />
    </SelectField>
  );
});

/** Each ente as a choice: "name (ISTAT code)". */
function EnteOptions({ enti }: { enti: readonly Ente[] }) {
  return (
    <>
      {enti.map((x) => (
        <option key={x.istat} value={x.istat}>
          {x.name} ({x.istat})
        </option>
      ))}
    </>
  );
}

/**
 * The ente a panel shows: with several `choices`, the "Ente" field (and `prompt` until one is
 * chosen); with one, its name. `testId` marks the name.
 */
export function EnteChooser({
  choices,
  ente,
  onChange,
  prompt,
  testId,
  className = 'row mt-4',
}: {
  choices: readonly Ente[];
  ente: string;
  onChange: (istat: string) => void;
  /** What to do first, while no ente is chosen: "Scegli l'ente di cui vedere…". */
  prompt: string;
  testId?: string;
  /** The row the field stands in. */
  className?: string;
}) {
  const { entiByIstat } = useSession();
  if (choices.length > 1)
    return (
      <>
        <div className={className}>
          <EnteSelect name="ente" choices={choices} value={ente} onChange={onChange} />
        </div>
        {!ente && <p>{prompt}</p>}
      </>
    );
  if (!ente) return null;
  return (
    <p data-testid={testId}>
      Ente: <strong>{`${entiByIstat.get(ente)?.name ?? ente} (${ente})`}</strong>
    </p>
  );
}

/**
 * A list's filter on the ente: every ente first (`all`; by default "Tutti gli enti" to whoever
 * sees them all, else "Tutti i miei enti"; null: no such choice), then each of `choices`.
 */
export function EnteFilter({
  choices,
  value,
  onChange,
  error,
  all,
  label = 'Ente',
}: {
  choices: readonly Ente[];
  value: string;
  onChange: (e: ChangeEvent<HTMLSelectElement>) => void;
  error?: string;
  all?: string | null;
  label?: string;
}) {
  const { me } = useSession();
  const allLabel = all === undefined ? (seesAllEnti(me?.grants ?? []) ? 'Tutti gli enti' : 'Tutti i miei enti') : all;
  return (
    <SelectField className="col-12 col-md-6 col-lg-4" label={label} name="ente" value={value} onChange={onChange} error={error}>
      {allLabel !== null && <option value="">{allLabel}</option>}
      <EnteOptions enti={choices} />
    </SelectField>
  );
}
