import { RegulatorLayout } from "./layout";

/** Shown for any desk page opened without a session; `next` brings the officer back to the page they asked for. */
export function RegulatorSignInPage(props: { error: string | null; next: string }) {
  return (
    <RegulatorLayout title="登录" signedIn={false}>
      <h1>监管工作台登录</h1>
      <form method="post" action="/regulator/session" id="sign-in">
        <input type="hidden" name="next" value={props.next} />
        <label>
          监管 API 密钥 <input name="apiKey" type="password" autocomplete="current-password" required placeholder="lp_…" />
        </label>
        <button type="submit">登录</button>
      </form>
      {props.error === null ? null : (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <p>登录后本机保持 12 小时；密钥作废时会话随之结束。</p>
    </RegulatorLayout>
  );
}
