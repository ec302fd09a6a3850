import { raw } from "hono/html";
import type { Statistics } from "../../../services/statistics";
import { RegulatorLayout } from "./layout";

const percent = (v: number | null, digits = 1) => (v === null ? "—" : `${(v * 100).toFixed(digits)}%`);

/**
 * The dashboard: headline cards and tables rendered on the server (readable without scripts), charts drawn by
 * Chart.js (served from public/vendor) from the same figures embedded as JSON.
 */
export function DashboardPage(props: { stats: Statistics }) {
  const { stats } = props;
  const t = stats.totals;
  const json = JSON.stringify(stats).replace(/</g, "\\u003c");
  return (
    <RegulatorLayout title="统计" scripts={["/vendor/chart.umd.min.js", "/js/regulator-dashboard.js"]}>
      <h1>
        {stats.region.name ?? "全国"} · {stats.from} 至 {stats.to}
      </h1>
      <form method="get" action="/regulator/dashboard">
        <label>
          地区代码 <input name="region" value={stats.region.code ?? ""} />
        </label>
        <label>
          自 <input type="date" name="from" value={stats.from} />
        </label>
        <label>
          至 <input type="date" name="to" value={stats.to} />
        </label>
        <button type="submit">查询</button>
        <a href={`/v1/stats?format=xlsx&from=${stats.from}&to=${stats.to}${stats.region.code === null ? "" : `&region=${stats.region.code}`}`}>导出 XLSX</a>
      </form>
      <div class="cards">
        <div class="card">
          开具合格证<b id="total-certificates">{t.certificates.issued}</b>
          {t.certificates.issuingParties} 个主体
        </div>
        <div class="card">
          查验率<b>{t.marketReceipts === null ? "—" : percent(t.marketReceipts.share)}</b>
          {t.marketReceipts === null ? "市场查验未接入" : `${t.marketReceipts.withCertificate}/${t.marketReceipts.total}`}
        </div>
        <div class="card">
          快检阳性率<b>{percent(t.rapidTests.positiveShare, 2)}</b>
          {t.rapidTests.positive}/{t.rapidTests.total}
        </div>
        <div class="card">
          抽检不合格<b>{t.sampling.failed}</b>
          发现率 {percent(t.sampling.failureShare, 2)}
        </div>
        <div class="card">
          召回<b>{t.recalls}</b>
        </div>
        <div class="card">
          核查处置率 / 立案率 / 行政处罚率
          <b id="rates">
            {percent(t.cases.rates.verificationRate)} / {percent(t.cases.rates.filingRate)} / {percent(t.cases.rates.penaltyRate)}
          </b>
          {t.cases.opened} 件
        </div>
      </div>
      <div class="charts">
        <div class="chart">
          <canvas id="chart-certificates" aria-label="合格证开具"></canvas>
        </div>
        <div class="chart">
          <canvas id="chart-tests" aria-label="检测"></canvas>
        </div>
        <div class="chart">
          <canvas id="chart-cases" aria-label="处置案件"></canvas>
        </div>
      </div>
      {/* Script content is not HTML: JSX escaping would turn the JSON's quotes into entities. `<` is escaped above. */}
      <script type="application/json" id="stats-data">
        {raw(json)}
      </script>
    </RegulatorLayout>
  );
}
