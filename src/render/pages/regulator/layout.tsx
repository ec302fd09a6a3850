import type { Child } from "hono/jsx";

const CSS = `
body{font-family:'Noto Sans SC','PingFang SC',system-ui,sans-serif;margin:0;color:#1f2933;background:#f5f6f8}
header{background:#1f3a5f;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
header a{color:#dbe7ff;text-decoration:none}
main{padding:16px 20px;max-width:1400px}
.graph{overflow:auto;background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:8px}
table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
th,td{border:1px solid #d6dae0;padding:4px 8px;text-align:left}
th{background:#eef1f5}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin-bottom:16px}
.card{background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:10px}
.card b{display:block;font-size:22px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.chart{background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:10px}
form{margin-bottom:12px;display:flex;gap:8px;flex-wrap:wrap;align-items:end}
header form.sign-out{margin:0 0 0 auto}
.error{color:#b42318;font-weight:bold}
.notice{background:#fff4e5;border:1px solid #f0b35a;border-radius:6px;padding:8px 12px}
.recall{background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:10px}
`;

/** The regulator's desk pages share this frame: no client framework, only what each page needs. */
export function RegulatorLayout(props: { title: string; children: Child; scripts?: string[]; signedIn?: boolean }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · lotproof</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header>
          <strong>监管工作台</strong>
          <a href="/regulator/dashboard">统计</a>
          <a href="/regulator/trace">追溯</a>
          {props.signedIn === false ? null : (
            <form method="post" action="/regulator/session/end" class="sign-out">
              <button type="submit">退出</button>
            </form>
          )}
        </header>
        <main>{props.children}</main>
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer></script>
        ))}
      </body>
    </html>
  );
}
