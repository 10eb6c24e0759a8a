import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, toApiError } from '../../api/client';
import { getConfiguration, register, uploadFile } from '../../api/protocol';
import type {
  CorrespondentInput,
  CorrespondentKind,
  ProtocolFlow,
  Registration,
  RegistrationInput,
  Upload,
} from '../../api/types';
import { EditableRows } from '../../components/EditableRows';
import { EnteSelect, useEnteChoice } from '../../components/EnteSelect';
import { ErrorText, RequiredNote, SelectField, SubmitButton, TextAreaField, TextField } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoaded } from '../../components/useLoaded';
import { useProblemForm, type FieldErrors } from '../../components/useProblemForm';
import { sentence } from '../../format';
import {
  CHANNELS,
  CORRESPONDENT_KINDS,
  FLOWS,
  PROT_CONFIG_PATH,
  registeredSentence,
  registrableEnti,
  registrationPath,
} from '../../protocol';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';

// "Nuova registrazione": a document received, sent or internal, with what art. 53 wants recorded
// (subject, sender or recipients, the sender's date and number, the documents) and the
// classification. The files are uploaded first, one by one (POST /api/v1/uploads, scanned by the
// antivirus: an infected one is refused next to its field), then the registration names them by
// id. Uploads already made are reused when the form is sent again after an error. The server's
// errors go next to the field they name: "correspondents[0].fiscal_code" on the first
// correspondent's codice fiscale, "attachments[1].description" on the second attachment's.

/** The server's limits (docs/protocol.md, model.cpp). */
const MAX_SUBJECT = 2000;
const MAX_CORRESPONDENTS = 200;
const MAX_ATTACHMENTS = 200;

type CorrPart = 'kind' | 'first_name' | 'last_name' | 'name' | 'fiscal_code' | 'ipa_code' | 'email';
const CORR_PARTS: readonly CorrPart[] = ['kind', 'first_name', 'last_name', 'name', 'fiscal_code', 'ipa_code', 'email'];

interface CorrRow {
  id: number;
  kind: CorrespondentKind;
  first_name: string;
  last_name: string;
  name: string;
  fiscal_code: string;
  ipa_code: string;
  email: string;
}

interface AttRow {
  id: number;
  file: File | null;
  description: string;
}

const corrKey = (id: number, part: CorrPart) => `corr:${id}:${part}`;
const attKey = (id: number, part: 'file' | 'description') => `att:${id}:${part}`;
const PRIMARY_FILE = 'primary_file';
const PRIMARY_DESCRIPTION = 'primary_description';
/** Fields the server names as the form does. */
const PLAIN = ['ente', 'flow', 'subject', 'class_code', 'folder_code', 'channel', 'reserved', 'sender_date', 'sender_number', 'correspondents', 'attachments'];

/** The labels of a correspondent's fields, by kind (the fiscal code means a P.IVA for a company). */
function corrLabel(kind: CorrespondentKind, part: CorrPart): string {
  switch (part) {
    case 'kind':
      return 'Tipo';
    case 'first_name':
      return 'Nome';
    case 'last_name':
      return 'Cognome';
    case 'name':
      return 'Denominazione';
    case 'fiscal_code':
      return kind === 'person' ? 'Codice fiscale' : kind === 'company' ? 'Partita IVA o codice fiscale' : 'Codice fiscale';
    case 'ipa_code':
      return 'Codice IPA';
    case 'email':
      return 'E-mail o PEC';
  }
}

/** The parts a correspondent of this kind has, in screen order. */
function partsOf(kind: CorrespondentKind): CorrPart[] {
  if (kind === 'person') return ['kind', 'first_name', 'last_name', 'fiscal_code', 'email'];
  if (kind === 'company') return ['kind', 'name', 'fiscal_code', 'email'];
  return ['kind', 'name', 'ipa_code', 'fiscal_code', 'email'];
}

/** A correspondent as the API reads it: the kind's fields, trimmed, the empty ones left out. */
function correspondentInput(r: CorrRow): CorrespondentInput {
  const out: CorrespondentInput = { kind: r.kind };
  for (const part of partsOf(r.kind)) {
    if (part === 'kind') continue;
    const v = r[part].trim();
    if (v) out[part] = v;
  }
  return out;
}

/** What is said next to a file the upload refused: the antivirus's signature, the size, the server's reason. */
function uploadMessage(e: ApiError): string {
  if (e.status === 413) return 'Il file supera la dimensione massima consentita.';
  return sentence(e.problem.detail || e.problem.errors?.[0]?.message || e.problem.title || 'file non caricato');
}

export function RegistrationForm() {
  const { me, enti, entiByIstat, setNotice } = useSession();
  const uid = useId();
  const choices = useMemo(() => registrableEnti(me?.grants ?? [], enti), [me, enti]);
  const [ente, pickEnte] = useEnteChoice(choices);
  const enteName = entiByIstat.get(ente)?.name ?? ente;
  const nextId = useRef(0);
  const newId = () => ++nextId.current;
  const blankCorr = (): CorrRow => ({ id: newId(), kind: 'person', first_name: '', last_name: '', name: '', fiscal_code: '', ipa_code: '', email: '' });

  const [flow, setFlow] = useState<'' | ProtocolFlow>('');
  const [subject, setSubject] = useState('');
  const [classCode, setClassCode] = useState('');
  const [folderCode, setFolderCode] = useState('');
  const [channel, setChannel] = useState('');
  const [reserved, setReserved] = useState(false);
  const [corrs, setCorrs] = useState<CorrRow[]>(() => [blankCorr()]);
  const [senderDate, setSenderDate] = useState('');
  const [senderNumber, setSenderNumber] = useState('');
  const [primary, setPrimary] = useState<File | null>(null);
  const [primaryDescription, setPrimaryDescription] = useState('');
  const [atts, setAtts] = useState<AttRow[]>([]);
  const [added, setAdded] = useState<number | null>(null);
  const [uploading, setUploading] = useState(false);

  // The ente's AOO, titolario and fascicoli: what the form offers depends on them (the active
  // classes, the open fascicoli); another ente's classification starts afresh.
  const { data: config, error: refError } = useLoaded(ente || null, getConfiguration);
  const aoo = config?.aoo ?? null;
  const classes = useMemo(() => config?.classes.filter((x) => x.active) ?? null, [config]);
  const folders = useMemo(() => config?.folders.filter((x) => !x.closed_on) ?? [], [config]);
  useEffect(() => {
    setClassCode('');
    setFolderCode('');
  }, [ente]);

  // Files already uploaded for an ente, reused when the form is sent again after an error.
  const uploads = useRef(new Map<File, { ente: string; upload: Upload }>());

  // The correspondents sent: the incoming document's one sender, the outgoing one's recipients, none for an internal one.
  const shown = flow === 'incoming' ? corrs.slice(0, 1) : flow === 'outgoing' ? corrs : [];

  const labels: Record<string, string> = {
    ente: 'Ente',
    flow: 'Flusso',
    subject: 'Oggetto',
    class_code: 'Classifica',
    folder_code: 'Fascicolo',
    channel: 'Canale',
    reserved: 'Riservata',
    sender_date: 'Data del documento ricevuto',
    sender_number: 'Numero del documento ricevuto',
    correspondents: flow === 'incoming' ? 'Mittente' : 'Destinatari',
    attachments: 'Allegati',
    [PRIMARY_FILE]: 'Documento principale',
    [PRIMARY_DESCRIPTION]: 'Descrizione del documento principale',
  };
  shown.forEach((r, i) => {
    const who = flow === 'incoming' ? 'del mittente' : `del destinatario n. ${i + 1}`;
    for (const part of CORR_PARTS) labels[corrKey(r.id, part)] = `${corrLabel(r.kind, part)} ${who}`;
  });
  atts.forEach((r, i) => {
    labels[attKey(r.id, 'file')] = `File dell'allegato n. ${i + 1}`;
    labels[attKey(r.id, 'description')] = `Descrizione dell'allegato n. ${i + 1}`;
  });

  /** "correspondents[0].fiscal_code" → the first shown correspondent's codice fiscale; a list-wide error → the list. */
  const toField = (f: string): string | null => {
    if (PLAIN.includes(f)) return f;
    if (f === 'primary_document' || f === 'primary_document.upload_id') return PRIMARY_FILE;
    if (f === 'primary_document.description') return PRIMARY_DESCRIPTION;
    const item = /^(correspondents|attachments)\[(\d+)\](?:\.(\w+))?$/.exec(f);
    if (!item) return null;
    const [, list, index, part] = item;
    if (list === 'correspondents') {
      const row = shown[Number(index)];
      return row && part && (CORR_PARTS as readonly string[]).includes(part) ? corrKey(row.id, part as CorrPart) : 'correspondents';
    }
    const row = atts[Number(index)];
    if (!row) return 'attachments';
    return attKey(row.id, part === 'description' ? 'description' : 'file');
  };

  const form = useProblemForm<string>({
    // Screen order: the list-wide errors after their rows.
    order: [
      'ente',
      'flow',
      'subject',
      'class_code',
      'folder_code',
      'channel',
      'reserved',
      ...shown.flatMap((r) => CORR_PARTS.map((p) => corrKey(r.id, p))),
      'correspondents',
      'sender_date',
      'sender_number',
      PRIMARY_FILE,
      PRIMARY_DESCRIPTION,
      ...atts.flatMap((r) => [attKey(r.id, 'file'), attKey(r.id, 'description')]),
      'attachments',
    ],
    labels,
    toField,
    message: sentence,
  });

  const editCorr = (id: number, patch: Partial<CorrRow>) => setCorrs((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const editAtt = (id: number, patch: Partial<AttRow>) => setAtts((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const addCorr = () => {
    const row = blankCorr();
    setCorrs((rows) => [...rows, row]);
    setAdded(row.id);
  };
  const addAtt = () => {
    const id = newId();
    setAtts((rows) => [...rows, { id, file: null, description: '' }]);
    setAdded(id);
  };

  /** The file's upload for this ente: the one made before, else a new one. */
  const uploadOnce = async (file: File): Promise<Upload> => {
    const known = uploads.current.get(file);
    if (known && known.ente === ente) return known.upload;
    const upload = await uploadFile(ente, file);
    uploads.current.set(file, { ente, upload });
    return upload;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    form.setProblem(null);
    // What must be there; the codes' rules (fiscal codes, IPA codes, e-mail) are the server's.
    const invalid: FieldErrors<string> = {};
    if (!ente) invalid.ente = "Scegli l'ente che registra il documento.";
    if (!flow) invalid.flow = 'Scegli se il documento è in arrivo, in partenza o interno.';
    if (!subject.trim()) invalid.subject = "Scrivi l'oggetto del documento.";
    if (!classCode) invalid.class_code = 'Scegli la classe del titolario.';
    for (const r of shown) {
      if (r.kind === 'person') {
        if (!r.first_name.trim()) invalid[corrKey(r.id, 'first_name')] = 'Scrivi il nome.';
        if (!r.last_name.trim()) invalid[corrKey(r.id, 'last_name')] = 'Scrivi il cognome.';
      } else if (!r.name.trim()) invalid[corrKey(r.id, 'name')] = 'Scrivi la denominazione.';
      if (r.kind === 'administration' && !r.ipa_code.trim()) invalid[corrKey(r.id, 'ipa_code')] = "Scrivi il codice IPA dell'amministrazione.";
    }
    if (!primary) invalid[PRIMARY_FILE] = 'Scegli il file del documento principale.';
    for (const r of atts) {
      if (!r.file) invalid[attKey(r.id, 'file')] = "Scegli il file dell'allegato o rimuovi l'allegato.";
      if (!r.description.trim()) invalid[attKey(r.id, 'description')] = "Descrivi l'allegato.";
    }
    if (!form.check(invalid)) return;

    // The files first, each on its own: every refusal goes next to its field.
    const files: [key: string, file: File][] = [[PRIMARY_FILE, primary as File], ...atts.map((r): [string, File] => [attKey(r.id, 'file'), r.file as File])];
    const ids = new Map<string, string>();
    const refused: FieldErrors<string> = {};
    const problems: { field: string; message: string }[] = [];
    let first: ApiError | null = null;
    setUploading(true);
    try {
      for (const [key, file] of files) {
        try {
          ids.set(key, (await uploadOnce(file)).id);
        } catch (err) {
          const problem = toApiError(err);
          first ??= problem;
          refused[key] = uploadMessage(problem);
          problems.push({ field: key, message: `${file.name}: ${refused[key]}` });
        }
      }
    } finally {
      setUploading(false);
    }
    if (first) {
      const many = problems.length > 1;
      form.setProblem(
        new ApiError(first.status, {
          title: many ? 'Alcuni file non sono stati caricati' : 'Il file non è stato caricato',
          detail: 'Nessun documento è stato registrato: sostituisci il file rifiutato e registra di nuovo.',
          status: first.status,
          errors: problems,
        }),
      );
      form.check(refused);
      return;
    }

    const f = flow as ProtocolFlow;
    const input: RegistrationInput = {
      ente,
      flow: f,
      subject: subject.trim(),
      class_code: classCode,
      ...(folderCode ? { folder_code: folderCode } : {}),
      ...(channel ? { channel } : {}),
      reserved,
      correspondents: shown.map(correspondentInput),
      ...(f === 'incoming' && senderDate ? { sender_date: senderDate } : {}),
      ...(f === 'incoming' && senderNumber.trim() ? { sender_number: senderNumber.trim() } : {}),
      primary_document: { upload_id: ids.get(PRIMARY_FILE) as string, ...(primaryDescription.trim() ? { description: primaryDescription.trim() } : {}) },
      attachments: atts.map((r) => ({ upload_id: ids.get(attKey(r.id, 'file')) as string, description: r.description.trim() })),
    };
    void form.send(
      () => register(input),
      (r: Registration) => {
        setNotice({ text: `${registeredSentence(r)}.`, path: registrationPath(r.id) });
        navigate(registrationPath(r.id));
      },
    );
  };

  const flowError = form.errors.flow;
  const flowErrorId = `${uid}-flow-error`;
  const notConfigured = aoo !== null && !aoo.configured;

  return (
    <section aria-labelledby="prot-new-title" data-testid="protocol-new">
      <h2 className="h3" id="prot-new-title">
        Nuova registrazione
      </h2>
      <p>
        Registra un documento ricevuto, spedito o prodotto internamente: riceve il numero successivo del registro e la segnatura
        firmata. Dopo la registrazione nulla si può modificare (DPR 445/2000, art. 53): controlla i dati prima di registrare.
      </p>
      {choices.length === 0 && enti.length > 0 && (
        <div className="alert alert-warning" role="alert">
          Nessun ente di cui tu possa registrare documenti.
        </div>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="prot-new-title" className="cst-panel cst-form mb-4" data-testid="registration-form">
        <RequiredNote />
        {/* The uploads' refusals name the form's own fields: their labels too. */}
        <ProblemAlert error={form.problem} fieldLabels={{ ...form.problemLabels, ...labels }} />
        <ProblemAlert error={refError} />
        {notConfigured && (
          <div className="alert alert-warning" role="alert" data-testid="registration-aoo-missing">
            L'AOO di {enteName} non è ancora configurata: non si possono registrare documenti finché il referente dell'ente non la
            configura in <Link to={PROT_CONFIG_PATH}>Titolario e AOO</Link>.
          </div>
        )}

        <h3 className="h5">Registrazione</h3>
        <div className="row mt-4">
          {choices.length > 1 ? (
            <EnteSelect {...form.field('ente')} choices={choices} value={ente} onChange={pickEnte} />
          ) : (
            <p className="col-12" data-testid="registration-ente">
              Ente: <strong>{ente ? `${enteName} (${ente})` : '—'}</strong>
              {aoo?.configured && (
                <span className="d-block small">
                  AOO {aoo.aoo_code}, registro {aoo.registry_code}
                </span>
              )}
            </p>
          )}
        </div>
        <fieldset className="cst-fieldset" aria-describedby={flowError ? flowErrorId : undefined}>
          <legend>
            Flusso<span aria-hidden="true"> *</span>
          </legend>
          {(Object.keys(FLOWS) as ProtocolFlow[]).map((x, i) => (
            <div className="form-check form-check-inline" key={x}>
              <input
                id={`${uid}-flow-${x}`}
                type="radio"
                name="flow"
                value={x}
                ref={i === 0 ? form.fieldRef('flow') : undefined}
                checked={flow === x}
                required
                aria-invalid={flowError ? true : undefined}
                aria-describedby={flowError ? flowErrorId : undefined}
                onChange={() => setFlow(x)}
              />
              <label htmlFor={`${uid}-flow-${x}`}>{FLOWS[x]}</label>
            </div>
          ))}
          <ErrorText id={flowErrorId} error={flowError} />
        </fieldset>
        <div className="row">
          <TextAreaField
            className="col-12"
            {...form.field('subject')}
            label="Oggetto"
            required
            rows={3}
            maxLength={MAX_SUBJECT}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
          />
          <SelectField
            className="col-12 col-lg-6"
            {...form.field('class_code')}
            label="Classifica"
            hint="La classe del titolario dell'ente."
            required
            value={classCode}
            onChange={(e) => setClassCode(e.target.value)}
          >
            <option value="">{!ente ? "Scegli prima l'ente" : classes === null ? 'Caricamento…' : 'Scegli la classe'}</option>
            {(classes ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} – {c.description}
              </option>
            ))}
          </SelectField>
          <SelectField
            className="col-12 col-lg-6"
            {...form.field('folder_code')}
            label="Fascicolo"
            hint={folders.length || classes === null ? 'Facoltativo.' : 'Nessun fascicolo aperto: si aprono in «Titolario e AOO».'}
            value={folderCode}
            onChange={(e) => setFolderCode(e.target.value)}
          >
            <option value="">Nessun fascicolo</option>
            {folders.map((x) => (
              <option key={x.code} value={x.code}>
                {x.code} – {x.subject} (classe {x.class_code})
              </option>
            ))}
          </SelectField>
          <SelectField
            className="col-12 col-lg-6"
            {...form.field('channel')}
            label="Canale"
            hint="Come il documento è arrivato o partito."
            value={channel}
            onChange={(e) => setChannel(e.target.value)}
          >
            <option value="">Non indicato</option>
            {Object.entries(CHANNELS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </SelectField>
          <div className="col-12 col-lg-6 mb-4">
            <div className="form-check mt-lg-4">
              <input
                id={`${uid}-reserved`}
                type="checkbox"
                name="reserved"
                ref={form.fieldRef('reserved')}
                checked={reserved}
                aria-describedby={`${uid}-reserved-hint`}
                onChange={(e) => setReserved(e.target.checked)}
              />
              <label htmlFor={`${uid}-reserved`}>Riservata</label>
              <small id={`${uid}-reserved-hint`} className="form-text d-block">
                Un documento riservato è segnato come tale nella segnatura.
              </small>
              <ErrorText id={`${uid}-reserved-error`} error={form.errors.reserved} />
            </div>
          </div>
        </div>

        {flow === '' && (
          <>
            <h3 className="h5">Mittente o destinatari</h3>
            <p>Scegli il flusso: un documento in arrivo ha un mittente, uno in partenza uno o più destinatari.</p>
          </>
        )}
        {flow === 'internal' && (
          <>
            <h3 className="h5">Corrispondenti</h3>
            <p data-testid="registration-internal-note">Un documento interno non ha mittente né destinatari esterni.</p>
          </>
        )}
        {(flow === 'incoming' || flow === 'outgoing') && (
          <EditableRows
            level={3}
            title={flow === 'incoming' ? 'Mittente' : 'Destinatari'}
            intro={
              flow === 'outgoing' ? <p className="small">Almeno un destinatario.</p> : <p className="small">Chi ha spedito il documento.</p>
            }
            rows={shown}
            min={1}
            max={flow === 'incoming' ? 1 : MAX_CORRESPONDENTS}
            legend={(i) => (flow === 'incoming' ? 'Dati del mittente' : `Destinatario n. ${i + 1}`)}
            removeName={(i) => `il destinatario n. ${i + 1}`}
            addLabel="Aggiungi un destinatario"
            onAdd={addCorr}
            onRemove={(id) => setCorrs((rows) => rows.filter((r) => r.id !== id))}
            error={form.errors.correspondents}
            errorId={`${uid}-correspondents-error`}
            testId="registration-correspondents"
          >
            {(r) => (
              <>
                {partsOf(r.kind).map((part) =>
                  part === 'kind' ? (
                    <SelectField
                      key={part}
                      className="col-12 col-lg-4"
                      {...form.field(corrKey(r.id, 'kind'))}
                      label="Tipo"
                      required
                      value={r.kind}
                      onChange={(e) => editCorr(r.id, { kind: e.target.value as CorrespondentKind })}
                    >
                      {(Object.keys(CORRESPONDENT_KINDS) as CorrespondentKind[]).map((k) => (
                        <option key={k} value={k}>
                          {CORRESPONDENT_KINDS[k]}
                        </option>
                      ))}
                    </SelectField>
                  ) : (
                    <TextField
                      key={part}
                      className="col-12 col-lg-4"
                      {...form.field(corrKey(r.id, part))}
                      label={corrLabel(r.kind, part)}
                      required={part === 'first_name' || part === 'last_name' || part === 'name' || part === 'ipa_code'}
                      type={part === 'email' ? 'email' : 'text'}
                      autoComplete="off"
                      spellCheck={part === 'fiscal_code' || part === 'ipa_code' || part === 'email' ? false : undefined}
                      maxLength={part === 'fiscal_code' ? 16 : undefined}
                      autoFocus={part === 'first_name' || part === 'name' ? r.id === added : undefined}
                      value={r[part]}
                      onChange={(e) => editCorr(r.id, { [part]: e.target.value })}
                    />
                  ),
                )}
              </>
            )}
          </EditableRows>
        )}
        {flow === 'incoming' && (
          <div className="row">
            <TextField
              className="col-12 col-lg-4"
              {...form.field('sender_date')}
              label="Data del documento ricevuto"
              type="date"
              hint="Come indicata dal mittente."
              value={senderDate}
              onChange={(e) => setSenderDate(e.target.value)}
            />
            <TextField
              className="col-12 col-lg-4"
              {...form.field('sender_number')}
              label="Numero del documento ricevuto"
              hint="Il numero di protocollo del mittente, se indicato."
              autoComplete="off"
              maxLength={100}
              value={senderNumber}
              onChange={(e) => setSenderNumber(e.target.value)}
            />
          </div>
        )}

        <h3 className="h5">Documenti</h3>
        <p className="small mb-4">
          I file sono controllati dall'antivirus prima della registrazione; l'impronta SHA-256 di ciascuno è registrata con il
          protocollo.
        </p>
        <div className="row">
          <TextField
            className="col-12 col-lg-6"
            {...form.field(PRIMARY_FILE)}
            label="Documento principale"
            type="file"
            required
            onChange={(e) => setPrimary(e.target.files?.[0] ?? null)}
          />
          <TextField
            className="col-12 col-lg-6"
            {...form.field(PRIMARY_DESCRIPTION)}
            label="Descrizione del documento principale"
            hint="Facoltativa, per esempio «Istanza»."
            maxLength={500}
            value={primaryDescription}
            onChange={(e) => setPrimaryDescription(e.target.value)}
          />
        </div>
        <EditableRows
          title="Allegati"
          intro={<p className="small">Facoltativi; ogni allegato ha la sua descrizione.</p>}
          rows={atts}
          min={0}
          max={MAX_ATTACHMENTS}
          legend={(i) => `Allegato n. ${i + 1}`}
          removeName={(i) => `l'allegato n. ${i + 1}`}
          addLabel="Aggiungi un allegato"
          onAdd={addAtt}
          onRemove={(id) => setAtts((rows) => rows.filter((r) => r.id !== id))}
          error={form.errors.attachments}
          errorId={`${uid}-attachments-error`}
          testId="registration-attachments"
        >
          {(r) => (
            <>
              <TextField
                className="col-12 col-lg-5"
                {...form.field(attKey(r.id, 'file'))}
                label="File dell'allegato"
                type="file"
                required
                autoFocus={r.id === added}
                onChange={(e) => editAtt(r.id, { file: e.target.files?.[0] ?? null })}
              />
              <TextField
                className="col-12 col-lg-5"
                {...form.field(attKey(r.id, 'description'))}
                label="Descrizione"
                required
                maxLength={500}
                value={r.description}
                onChange={(e) => editAtt(r.id, { description: e.target.value })}
              />
            </>
          )}
        </EditableRows>

        <SubmitButton busy={uploading || form.busy} busyLabel={uploading ? 'Caricamento dei file…' : 'Registrazione in corso…'}>
          Registra il documento
        </SubmitButton>
      </form>
    </section>
  );
}
