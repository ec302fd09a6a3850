import { raw } from "hono/html";
import { affectedParties, type Trace } from "../../../services/trace";
import { RegulatorLayout } from "./layout";
import { traceSvg } from "./trace-svg";

const RELATION_ZH = { source: "来源", start: "本批", downstream: "流向", receiver: "在途" } as const;

/** The trace drawn server-side as SVG, with the parties to call beneath it and the CSV link. */
export function TracePage(props: { query: string; trace: Trace | null; notice?: string | null; error?: string | null }) {
  const { trace } = props;
  const start = trace?.nodes.find((n) => n.lotId === trace.start.lotId);
  const rows = trace === null ? [] : affectedParties(trace);
  const csvHref = trace === null ? "" : `/v1/trace?lotId=${encodeURIComponent(trace.start.lotId)}&format=csv`;
  return (
    <RegulatorLayout title="追溯">
      <form method="get" action="/regulator/trace">
        <label>
          合格证编号 <input name="code" value={props.query} autocomplete="off" />
        </label>
        <button type="submit">追溯</button>
      </form>
      {props.notice == null ? null : (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.error == null ? null : (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {trace === null ? (
        <p>输入合格证编号，查看来源与流向。</p>
      ) : (
        <>
          <p>
            共 {trace.nodes.length} 个批次，{trace.shipments.length} 次发货，{trace.tests.filter((x) => x.verdict === "fail").length} 次不合格检测
            {trace.truncated ? "（结果已截断）" : ""}。<a href={csvHref}>下载涉及主体 CSV</a>
          </p>
          <div class="graph" id="trace-graph">
            {raw(traceSvg(trace))}
          </div>
          {start === undefined || start.recalled ? null : (
            <form method="post" action="/regulator/recalls" class="recall" id="recall">
              <input type="hidden" name="lotId" value={start.lotId} />
              <input type="hidden" name="code" value={props.query} />
              <label>
                召回原因 <input name="reason" required maxlength={500} placeholder="如：监督抽检克百威超标" />
              </label>
              <button type="submit">召回本批及其下游</button>
            </form>
          )}
          <h2>涉及主体</h2>
          <table id="affected">
            <thead>
              <tr>
                <th>关系</th>
                <th>名称</th>
                <th>联系人</th>
                <th>电话</th>
                <th>地区</th>
                <th>持有</th>
                <th>数量</th>
                <th>日期</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{RELATION_ZH[r.relation]}</td>
                  <td>{r.partyName}</td>
                  <td>{r.contactName}</td>
                  <td>{r.phone}</td>
                  <td>{r.regionName || r.regionCode}</td>
                  <td>{r.holds}</td>
                  <td>
                    {r.quantity} {r.unit}
                  </td>
                  <td>{r.dates}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </RegulatorLayout>
  );
}
