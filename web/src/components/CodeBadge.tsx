/** A code's Italian label and its badge's colour class: the text says it, the colour helps. */
export type BadgeLabel = readonly [label: string, className: string];

/**
 * A code (a state, an outcome) as a badge, from its module's labels; a code the page does not know
 * yet shows as it is, in grey. `attr` names the data attribute that carries the code (data-status,
 * data-state), for the lists' tests.
 */
export function CodeBadge<C extends string>({ labels, code, attr }: { labels: Record<C, BadgeLabel>; code: C; attr?: 'status' | 'state' }) {
  const [label, cls] = labels[code] ?? [code, 'bg-secondary'];
  const data = attr ? { [`data-${attr}`]: code } : {};
  return (
    <span className={`badge ${cls}`} {...data}>
      {label}
    </span>
  );
}
