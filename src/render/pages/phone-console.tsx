import type { Child } from "hono/jsx";

/**
 * The frame of the consoles used on a phone at work (the producer's, the market gate's): Chinese, phone first, one
 * stylesheet each, plain HTML that works without any script.
 */
export function PhoneShell(props: { title: string; stylesheet: string; children: Child }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#14532d" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={props.stylesheet} />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** Signing in with an API key, which the console then keeps as a 12-hour session cookie. */
export function PhoneSignInPage(props: {
  title: string;
  stylesheet: string;
  heading: string;
  sub: string;
  action: string;
  keyLabel: string;
  note: string;
  error: string | null;
}) {
  return (
    <PhoneShell title={`${props.title} · 登录`} stylesheet={props.stylesheet}>
      <main class="signin">
        <h1>{props.heading}</h1>
        <p class="sub">{props.sub}</p>
        <form method="post" action={props.action} class="card">
          <label for="api-key">{props.keyLabel}</label>
          <input id="api-key" name="apiKey" type="password" autocomplete="current-password" required placeholder="lp_…" />
          {props.error === null ? null : (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          <button type="submit" class="big primary">
            登录
          </button>
          <p class="note">{props.note}</p>
        </form>
      </main>
    </PhoneShell>
  );
}
