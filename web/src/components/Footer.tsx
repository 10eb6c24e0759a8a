import { Icon } from './Icon';

export function Footer() {
  return (
    <footer className="it-footer">
      <div className="it-footer-main">
        <div className="container">
          <div className="row">
            <div className="col-12 footer-items-wrapper">
              <div className="it-brand-wrapper">
                <a href="/">
                  <Icon name="pa" className="icon-white" />
                  <div className="it-brand-text">
                    <div className="it-brand-title h2">CST – Centro Servizi Territoriale</div>
                    <div className="it-brand-tagline h3">Servizi digitali condivisi per i Comuni</div>
                  </div>
                </a>
              </div>
              <p className="pb-4 mb-0">
                Piattaforma unica della Provincia e dei Comuni aderenti: un solo punto di accesso, un solo referente, gli
                stessi servizi per ogni ente.
              </p>
            </div>
          </div>
        </div>
      </div>
      <div className="it-footer-small-prints clearfix">
        <div className="container">
          <ul className="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
            <li className="list-inline-item">Software rilasciato con licenza EUPL-1.2</li>
          </ul>
        </div>
      </div>
    </footer>
  );
}
