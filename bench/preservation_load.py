#!/usr/bin/env python3
"""Helper of bench/preservation.sh: the corpus of SIPs and the reading of curl's results.

    preservation_load.py corpus DIR SIPS DOCS_PER_SIP DOC_BYTES CLIENTS URL TOKEN ENTE SEED
        DIR/docs/: SIPS * DOCS_PER_SIP XML documents of DOC_BYTES bytes each, every one of new
        random content (base64 of os.urandom inside an XML root, so that identify() calls it
        `xml`, which the default format policy accepts, and nothing is deduplicated by the copies
        or answered from clamd's cache of clean files); DIR/sips/: one JSON envelope per SIP
        (Allegato 5 metadata of a documento amministrativo informatico, the declared SHA-256 of
        every document); DIR/client-K.curl: one curl config per client, with its share of the
        SIPs (every CLIENTS-th), each a POST /api/v1/preservation/sips; DIR/files.txt: every
        document's path (for the baselines). Prints the total bytes of the documents.

    preservation_load.py latencies OUT.json FILE...
        Reads the lines `CODE SECONDS CONNECTS` curl wrote (-w) and writes their count, the
        non-201 answers, the connections opened, p50/p95/max in ms.
"""
import base64
import hashlib
import json
import math
import os
import sys

LINE = 76  # base64 bytes per line, as MIME writes it


def document(size, rng_bytes):
    """An XML document of exactly `size` bytes around random base64 text."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<documento xmlns="urn:cst:bench:1">\n'
    tail = b"</documento>\n"
    room = size - len(head) - len(tail)
    raw = base64.b64encode(rng_bytes(room))  # longer than needed; cut to room with newlines
    body = bytearray()
    i = 0
    while len(body) < room:
        chunk = raw[i:i + LINE]
        i += LINE
        body += chunk
        body += b"\n"
    body = body[:room]
    if body and body[-1:] != b"\n":
        body[-1:] = b"\n"
    return head + bytes(body) + tail


def id_doc(sha, ident):
    return {"ImprontaCrittograficaDelDocumento": {"Impronta": sha, "Algoritmo": "SHA-256"},
            "Identificativo": ident}


def envelope(ente, n, names, shas):
    ident = f"BENCH-{n:06d}"
    administration = {
        "IPAAmm": {"Denominazione": "Comune di Cremona", "CodiceIPA": "c_d150"},
        "IPAAOO": {"Denominazione": "Area organizzativa omogenea del Comune di Cremona",
                   "CodiceIPA": "AOO_CR"}}
    registering = dict(administration,
                       IndirizziDigitaliDiRiferimento=["protocollo@pec.comune-cremona.example"])
    allegati = {"NumeroAllegati": len(names) - 1}
    if len(names) > 1:
        allegati["IndiceAllegati"] = [
            {"IdDoc": id_doc(shas[i], f"{ident}-{i}"), "Descrizione": f"Allegato {i}"}
            for i in range(1, len(names))]
    metadati = {
        "IdDoc": id_doc(shas[0], ident),
        "ModalitaDiFormazione":
            "generazione o raggruppamento anche in via automatica di un insieme di dati o "
            "registrazioni, provenienti da una o più banche dati, anche appartenenti a più "
            "soggetti interoperanti, secondo una struttura logica predeterminata e memorizzata "
            "in forma statica",
        "TipologiaDocumentale": "Estratto di registro (benchmark)",
        "DatiDiRegistrazione": {
            "TipologiaDiFlusso": "I",
            "TipoRegistro": {"Repertorio_Registro": {
                "TipoRegistro": "Repertorio\\Registro",
                "DataRegistrazioneDocumento": "2026-11-26",
                "NumeroRegistrazioneDocumento": str(n + 1),
                "CodiceRegistro": "BENCH"}}},
        "Soggetti": {"Ruolo": [
            {"TipoRuolo": "Amministrazione Che Effettua La Registrazione", "PAI": registering},
            {"TipoRuolo": "Autore", "PAI": administration},
            {"TipoRuolo": "Produttore", "SW": {"DenominazioneSistema": "bench/preservation.sh"}}]},
        "ChiaveDescrittiva": {"Oggetto": f"Documento di prova {n + 1} del benchmark"},
        "Allegati": allegati,
        "Riservato": False,
        "IdentificativoDelFormato": {"Formato": "application/xml"},
        "Verifica": {"FirmatoDigitalmente": False, "SigillatoElettronicamente": False,
                     "MarcaturaTemporale": False,
                     "ConformitaCopieImmagineSuSupportoInformatico": False},
        "NomeDelDocumento": names[0],
        "VersioneDelDocumento": "1"}
    return {"ente": ente,
            "tipo": "documento_amministrativo_informatico",
            "classe_documentale": "benchmark",
            "documenti": [{"nome": names[i], "ruolo": "principale" if i == 0 else "allegato",
                           "impronta": shas[i]} for i in range(len(names))],
            "metadati": metadati}


def corpus(out, sips, per_sip, size, clients, url, token, ente, seed):
    docs, envs = os.path.join(out, "docs"), os.path.join(out, "sips")
    os.makedirs(docs, exist_ok=True)
    os.makedirs(envs, exist_ok=True)
    total = 0
    files = []
    configs = [open(os.path.join(out, f"client-{k}.curl"), "w") for k in range(clients)]
    for n in range(sips):
        names, shas, paths = [], [], []
        for d in range(per_sip):
            name = f"s{seed}-{n:06d}-{d:02d}.xml"
            body = document(size, os.urandom)
            path = os.path.join(docs, name)
            with open(path, "wb") as f:
                f.write(body)
            names.append(name)
            shas.append(hashlib.sha256(body).hexdigest())
            paths.append(path)
            total += len(body)
        env_path = os.path.join(envs, f"s{seed}-{n:06d}.json")
        with open(env_path, "w") as f:
            json.dump(envelope(ente, n, names, shas), f, ensure_ascii=False)
        files += paths
        c = configs[n % clients]
        # `next` starts a new transfer with fresh options; curl keeps the connection.
        if n >= clients:
            c.write("next\n")
        c.write(f'url = "{url}/api/v1/preservation/sips"\n'
                f'header = "Authorization: Bearer {token}"\n'
                'header = "Expect:"\n'
                f'form = "metadata=<{env_path};type=application/json"\n')
        for p in paths:
            c.write(f'form = "documento=@{p};type=application/xml"\n')
        c.write('output = "/dev/null"\nsilent\nshow-error\n'
                'write-out = "%{http_code} %{time_total} %{num_connects}\\n"\n')
    for c in configs:
        c.close()
    with open(os.path.join(out, "files.txt"), "w") as f:
        f.write("\n".join(files) + "\n")
    print(total)


def pctl(values, p):
    v = sorted(values)
    return v[max(0, math.ceil(p / 100.0 * len(v)) - 1)] if v else 0.0


def latencies(out, paths):
    codes, secs, connects = {}, [], 0
    for path in paths:
        for line in open(path):
            parts = line.split()
            if len(parts) < 3:
                continue
            codes[parts[0]] = codes.get(parts[0], 0) + 1
            secs.append(float(parts[1]))
            connects += int(parts[2])
    r = {"answers": len(secs), "codes": codes,
         "not_201": sum(v for k, v in codes.items() if k != "201"), "connects": connects,
         "p50_ms": pctl(secs, 50) * 1000, "p95_ms": pctl(secs, 95) * 1000,
         "max_ms": max(secs) * 1000 if secs else 0.0}
    json.dump(r, open(out, "w"))


def main():
    if sys.argv[1] == "corpus":
        out, sips, per_sip, size, clients, url, token, ente, seed = sys.argv[2:11]
        corpus(out, int(sips), int(per_sip), int(size), int(clients), url, token, ente, seed)
    elif sys.argv[1] == "latencies":
        latencies(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
