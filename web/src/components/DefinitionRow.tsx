import type { ReactNode } from 'react';

/**
 * One term and its value in a record's description list (<dl className="cst-dl">): the term on
 * the left from medium screens up, above its value on small ones. `testId` marks the value.
 */
export function Row({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div className="row py-1">
      <dt className="col-12 col-md-4">{term}</dt>
      <dd className="col-12 col-md-8 mb-0" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
