import { CodeBadge } from '../../components/CodeBadge';
import { DISPOSAL_STATES, FINDING_OUTCOMES, OUTCOMES, type DisposalState, type FindingOutcome, type IngestOutcome } from '../../preservation';

// The console's codes as badges: the text says it, the colour helps.

export const OutcomeBadge = ({ outcome }: { outcome: IngestOutcome }) => <CodeBadge labels={OUTCOMES} code={outcome} attr="status" />;

export const DisposalBadge = ({ state }: { state: DisposalState }) => <CodeBadge labels={DISPOSAL_STATES} code={state} attr="state" />;

export const FindingBadge = ({ outcome }: { outcome: FindingOutcome }) => <CodeBadge labels={FINDING_OUTCOMES} code={outcome} attr="status" />;

/** A package destroyed by a disposal (scartato). */
export const DisposedBadge = () => <span className="badge bg-secondary">Scartato</span>;
