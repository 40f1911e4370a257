import { type ParentProps, Show } from "solid-js";
import { me } from "../lib/session.ts";
import { SignIn } from "./sign-in.tsx";

/** A page's content for a signed-in person, the sign-in form otherwise (nothing while checking). */
export function SignedIn(props: ParentProps) {
  return (
    <Show when={!me.loading}>
      <Show when={me()} fallback={<SignIn />}>
        {props.children}
      </Show>
    </Show>
  );
}
