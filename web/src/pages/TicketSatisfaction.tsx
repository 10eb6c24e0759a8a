import { useId, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Satisfaction, TicketDetail } from '../api/types';
import { ErrorText, TextAreaField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useProblemForm } from '../components/useProblemForm';
import { sentence } from '../format';
import { LEVELS, type OnTicketUpdated } from '../helpdesk';
import { When } from './TicketTimeline';

// The requester's rating of the service: asked once the ticket is solved or closed, given
// once (the server refuses a second one), then shown to everyone who sees the ticket.

/** The scores 1..5 as the server names them ("da 1 (pessimo) a 5 (ottimo)"). */
const SCORE_LABELS = ['Pessimo', 'Scarso', 'Sufficiente', 'Buono', 'Ottimo'];
/** Scores that need a comment (the server's rule; shown in the hint, checked by the server). */
const LOW_SCORE = 2;

export function SatisfactionPanel({
  ticket,
  isRequester,
  onUpdated,
}: {
  ticket: TicketDetail;
  isRequester: boolean;
  onUpdated: OnTicketUpdated;
}) {
  if (ticket.satisfaction) return <Rating satisfaction={ticket.satisfaction} />;
  if (isRequester && (ticket.state === 'solved' || ticket.state === 'closed')) return <RatingForm ticket={ticket} onUpdated={onUpdated} />;
  return null;
}

function Rating({ satisfaction: s }: { satisfaction: Satisfaction }) {
  const headingId = `${useId()}-title`;
  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="satisfaction">
      <h2 className="h4" id={headingId}>
        Valutazione del richiedente
      </h2>
      <p className="mb-1">
        <span className="cst-stars" aria-hidden="true">
          {'★'.repeat(s.score)}
          {'☆'.repeat(Math.max(0, 5 - s.score))}
        </span>{' '}
        <strong>
          {s.score} su 5 – {SCORE_LABELS[s.score - 1] ?? ''}
        </strong>
      </p>
      {s.comment && <p className="cst-ticket-text mb-1">«{s.comment}»</p>}
      <p className="small mb-0">
        Espressa il <When at={s.answered_at} />
      </p>
    </section>
  );
}

type Field = 'score' | 'comment';
const LABELS: Record<Field, string> = { score: 'Voto', comment: 'Commento' };

function RatingForm({ ticket, onUpdated }: { ticket: TicketDetail; onUpdated: OnTicketUpdated }) {
  const form = useProblemForm<Field>({
    order: ['score', 'comment'],
    labels: LABELS,
    toField: (f) => (f in LABELS ? (f as Field) : null),
    message: sentence,
  });
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const uid = useId();
  const headingId = `${uid}-title`;
  const scoreErrorId = `${uid}-score-error`;
  const scoreError = form.errors.score;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    if (!form.check(score ? {} : { score: 'Scegli un voto da 1 a 5.' })) return;
    void form.send(
      () => api<TicketDetail>('POST', `/api/v1/helpdesk/tickets/${ticket.id}/satisfaction`, { score, comment: comment.trim() }),
      (t) => onUpdated(t, 'Grazie per la valutazione.', true),
    );
  };

  return (
    <section aria-labelledby={headingId} className="cst-panel mb-4" data-testid="satisfaction-panel">
      <h2 className="h4" id={headingId}>
        Valuta l'assistenza
      </h2>
      <ProblemAlert error={form.problem} fieldLabels={form.problemLabels} />
      <form onSubmit={submit} noValidate aria-labelledby={headingId} data-testid="satisfaction-form">
        <fieldset className="cst-fieldset" aria-describedby={scoreError ? scoreErrorId : undefined}>
          <legend>
            Come valuti l'assistenza ricevuta?<span aria-hidden="true"> *</span>
          </legend>
          {LEVELS.map((n) => (
            <div className="form-check" key={n}>
              <input
                id={`${uid}-score-${n}`}
                type="radio"
                name="score"
                value={n}
                ref={n === 1 ? form.fieldRef('score') : undefined}
                checked={score === n}
                required
                aria-invalid={scoreError ? true : undefined}
                aria-describedby={scoreError ? scoreErrorId : undefined}
                onChange={() => setScore(n)}
              />
              <label htmlFor={`${uid}-score-${n}`}>
                {n} – {SCORE_LABELS[n - 1]}
              </label>
            </div>
          ))}
          <ErrorText id={scoreErrorId} error={scoreError} />
        </fieldset>
        <TextAreaField
          {...form.field('comment')}
          label="Commento"
          rows={3}
          required={score > 0 && score <= LOW_SCORE}
          hint="Obbligatorio per i voti 1 e 2: che cosa non ha funzionato?"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {form.busy ? 'Invio in corso…' : 'Invia la valutazione'}
        </button>
      </form>
    </section>
  );
}
