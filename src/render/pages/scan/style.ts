/**
 * The scan page's only stylesheet, inline: one request on a weak network, a few KB. Phone-first, large type; the
 * verdict's colour is always repeated in words and a mark, so it reads without colour too.
 */
export const SCAN_CSS = `
*{box-sizing:border-box}
body{margin:0;font:18px/1.5 'Noto Sans SC','PingFang SC','Microsoft YaHei',system-ui,sans-serif;color:#1a1f24;background:#f2f4f6}
main{max-width:560px;margin:0 auto;padding:10px 12px 24px}
a{color:#0b57a4}
.brand{margin:0 0 8px;font-size:16px;color:#4a5561;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.code{font-family:ui-monospace,Menlo,monospace;letter-spacing:.05em}
.lang{margin-left:auto}
.verdict{display:flex;gap:14px;align-items:center;padding:16px;border-radius:12px;color:#fff;margin-bottom:12px}
.verdict h1{margin:0;font-size:40px;line-height:1.15;letter-spacing:.04em}
.verdict p{margin:4px 0 0;font-size:17px}
.mark{font-size:44px;font-weight:700;width:64px;height:64px;border-radius:50%;background:rgba(255,255,255,.22);display:flex;align-items:center;justify-content:center;flex:none}
.v-valid{background:#137333}
.v-revoked{background:#5f6368}
.v-recalled{background:#b3261e}
.v-failed_test{background:#c5221f}
.v-expired{background:#8a5a00}
.v-unknown{background:#3c4043}
.advice{font-size:18px;font-weight:600;background:#fdecea;color:#8c1d18;padding:10px 12px;border-radius:8px;margin:0 0 12px}
.warn{background:#fff4e5;border-left:6px solid #e37400;padding:10px 12px;border-radius:8px;margin:0 0 12px}
.card{background:#fff;border-radius:12px;padding:12px 14px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card h2{font-size:18px;margin:0 0 6px;color:#4a5561}
dl{margin:0}
.row{display:flex;gap:10px;padding:5px 0;border-bottom:1px solid #eef0f2}
.row:last-child{border-bottom:0}
dt{flex:0 0 5.5em;color:#5f6b76}
dd{margin:0;flex:1;word-break:break-word}
.commit{margin:0 0 6px}
.list{margin:0;padding-left:1.2em}
.list li{margin:4px 0}
.tree{margin:0;padding-left:1.1em}
.small{font-size:15px;color:#5f6b76}
time{white-space:nowrap}
.s-fail,.s-recalled,.s-failed_test{color:#b3261e}
.s-revoked{color:#5f6368}
.foot{text-align:center;margin-top:16px}
`;
