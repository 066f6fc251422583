import { Layout } from "../layout";

/**
 * 患者概览 (/ui/patients/{id}): one audited read, GET /patients/{id}/overview, shows what a
 * doctor checks before renewing: allergies first, re-assessment, the supply across the
 * consortium, the last long prescription, the conditions and who diagnosed them, the events.
 * patient.js fills it; prescribing starts from its buttons.
 */
export function PatientPage({ patientId }: { patientId: string }) {
  return (
    <Layout title="患者概览" section="follow-up" script="patient">
      <div id="patient-page" data-patient-id={patientId}>
        <p class="crumbs no-print">
          <a href="/ui/follow-up">← 随访</a>
        </p>
        <div id="msg" aria-live="polite" />
        <header class="patient-head card" id="head" aria-busy="true">
          <div>
            <h1 id="patient-name">患者概览</h1>
            <p id="patient-facts" class="facts" />
          </div>
          <div class="actions head-actions no-print">
            <a id="renew" class="button primary big" href={`/ui/prescribe?renew=${encodeURIComponent(patientId)}`}>
              续方
            </a>
            <a id="new-rx" class="button" href={`/ui/prescribe?patientId=${encodeURIComponent(patientId)}`}>
              新处方
            </a>
            <a id="history" class="button" href={`/ui/prescriptions?patientId=${encodeURIComponent(patientId)}`}>
              处方记录
            </a>
          </div>
        </header>
        <section id="allergies" class="allergy-box" aria-label="过敏史" hidden />
        <section id="renewal-state" aria-live="polite" hidden />
        <div class="overview-grid">
          <section class="card" aria-labelledby="last-title">
            <h2 id="last-title">上次长期处方</h2>
            <div id="last-rx" />
          </section>
          <section class="card" aria-labelledby="supply-title">
            <h2 id="supply-title">在用药品（全医共体）</h2>
            <div id="supply" />
          </section>
        </div>
        <section class="card" aria-labelledby="conditions-title">
          <h2 id="conditions-title">慢病诊断</h2>
          <div id="conditions" />
        </section>
        <section class="card" aria-labelledby="events-title">
          <h2 id="events-title">事件（住院等）</h2>
          <div id="events" />
        </section>
      </div>
    </Layout>
  );
}
